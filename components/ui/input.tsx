import { cn } from "@/components/ui/cn";

const controlClasses =
  "block w-full rounded-md border bg-white px-3 text-[15px] text-slate-900 shadow-xs placeholder:text-slate-400 " +
  "focus:outline-none focus:ring-2 disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500";

function stateClasses(invalid?: boolean): string {
  return invalid ? "border-red-500 focus:border-red-500 focus:ring-red-200" : "border-slate-300 focus:border-[#1264a3] focus:ring-[#1264a3]/25";
}

/** A text input; `aria-invalid` turns it red. */
export function Input({ className, ...rest }: React.ComponentProps<"input">) {
  const invalid = rest["aria-invalid"] === true || rest["aria-invalid"] === "true";
  return <input className={cn(controlClasses, "h-10", stateClasses(invalid), className)} {...rest} />;
}

/** A multi-line text input. */
export function Textarea({ className, ...rest }: React.ComponentProps<"textarea">) {
  const invalid = rest["aria-invalid"] === true || rest["aria-invalid"] === "true";
  return <textarea className={cn(controlClasses, "min-h-20 py-2 leading-relaxed", stateClasses(invalid), className)} {...rest} />;
}

/** A native select, styled like the inputs (native keeps keyboard and screen-reader behaviour). */
export function Select({ className, ...rest }: React.ComponentProps<"select">) {
  const invalid = rest["aria-invalid"] === true || rest["aria-invalid"] === "true";
  return <select className={cn(controlClasses, "h-10 pr-8", stateClasses(invalid), className)} {...rest} />;
}

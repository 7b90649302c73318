import { cn } from "@/components/ui/cn";

type TAlertTone = "error" | "success" | "info" | "warning";

const toneClasses: Record<TAlertTone, string> = {
  error: "border-red-200 bg-red-50 text-red-800",
  success: "border-emerald-200 bg-emerald-50 text-emerald-800",
  info: "border-sky-200 bg-sky-50 text-sky-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
};

/**
 * A message box. Errors use role="alert" so screen readers announce them the moment they appear;
 * the rest are polite status messages.
 */
export function Alert({ tone = "error", title, children, className }: { tone?: TAlertTone; title?: React.ReactNode; children?: React.ReactNode; className?: string }) {
  return (
    <div role={tone === "error" ? "alert" : "status"} className={cn("rounded-md border px-3 py-2.5 text-sm", toneClasses[tone], className)}>
      {title && <p className="font-semibold">{title}</p>}
      {children && <div className={cn(!!title && "mt-0.5")}>{children}</div>}
    </div>
  );
}

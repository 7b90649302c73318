import { cn } from "@/components/ui/cn";

type TBadgeTone = "neutral" | "brand" | "green" | "amber" | "red" | "blue";

const toneClasses: Record<TBadgeTone, string> = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-200",
  brand: "bg-[#611f69]/10 text-[#611f69] ring-[#611f69]/20",
  green: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  amber: "bg-amber-50 text-amber-800 ring-amber-200",
  red: "bg-red-50 text-red-700 ring-red-200",
  blue: "bg-sky-50 text-sky-800 ring-sky-200",
};

/** A small pill for a role or a status. */
export function Badge({ tone = "neutral", children, className }: { tone?: TBadgeTone; children: React.ReactNode; className?: string }) {
  return <span className={cn("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset", toneClasses[tone], className)}>{children}</span>;
}

"use client";

import { cn } from "@/components/ui/cn";
import { Spinner } from "@/components/ui/spinner";
import { useIsHydrated } from "@/components/ui/use-is-hydrated";

type TButtonVariant = "primary" | "secondary" | "danger" | "ghost" | "danger-ghost" | "link";
type TButtonSize = "sm" | "md" | "lg";

const variantClasses: Record<TButtonVariant, string> = {
  primary: "bg-[#611f69] text-white shadow-sm hover:bg-[#4a154b] focus-visible:outline-[#611f69]",
  secondary: "border border-slate-300 bg-white text-slate-800 shadow-sm hover:bg-slate-50 focus-visible:outline-slate-500",
  danger: "bg-red-600 text-white shadow-sm hover:bg-red-700 focus-visible:outline-red-600",
  ghost: "text-slate-700 hover:bg-slate-100 focus-visible:outline-slate-500",
  /** A quiet destructive action in a table row (Revoke, Deactivate, Remove). */
  "danger-ghost": "text-red-700 hover:bg-red-50 focus-visible:outline-red-600",
  link: "px-0! py-0! h-auto! text-[#1264a3] underline-offset-2 hover:underline focus-visible:outline-[#1264a3]",
};

const sizeClasses: Record<TButtonSize, string> = {
  sm: "h-8 px-3 text-sm gap-1.5",
  md: "h-9 px-4 text-sm gap-2",
  lg: "h-11 px-5 text-base gap-2",
};

export type TButtonProps = React.ComponentProps<"button"> & {
  variant?: TButtonVariant;
  size?: TButtonSize;
  /** Shows a spinner and disables the button (a request is in flight). */
  isLoading?: boolean;
};

/**
 * The one button: variants for intent, disabled with a spinner while its action runs. A submit
 * button stays disabled until the page is hydrated: before that a click would post the form
 * natively, bypassing our handlers (and, for a GET form, putting a password in the URL).
 */
export function Button({ variant = "primary", size = "md", isLoading = false, disabled, className, children, type = "button", ...rest }: TButtonProps) {
  const isHydrated = useIsHydrated();
  return (
    <button
      type={type}
      disabled={disabled || isLoading || (type === "submit" && !isHydrated)}
      aria-busy={isLoading || undefined}
      className={cn(
        "inline-flex shrink-0 items-center justify-center rounded-md font-semibold whitespace-nowrap transition-colors",
        "focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60",
        variantClasses[variant],
        sizeClasses[size],
        className,
      )}
      {...rest}
    >
      {isLoading && <Spinner />}
      {children}
    </button>
  );
}

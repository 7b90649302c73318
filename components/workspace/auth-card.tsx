import Link from "next/link";
import { Logo } from "@/components/ui/logo";

/** The frame of the signed-out pages: logo, a heading, the form card and links under it. */
export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle?: React.ReactNode; children: React.ReactNode; footer?: React.ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center bg-slate-50 px-4 py-10 sm:py-16">
      <Link href="/" className="rounded-md focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-[#611f69]">
        <Logo />
      </Link>
      <div className="mt-8 w-full max-w-[420px]">
        <h1 className="text-center text-3xl font-bold tracking-tight text-slate-900 sm:text-4xl">{title}</h1>
        {subtitle && <p className="mt-3 text-center text-[15px] text-slate-600">{subtitle}</p>}
        <div className="mt-8 rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">{children}</div>
        {footer && <div className="mt-6 text-center text-sm text-slate-600">{footer}</div>}
      </div>
    </main>
  );
}

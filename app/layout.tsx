import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = { title: "Parley", description: "Team messaging you host yourself" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

/** Small inline icons for the chat screens (20×20, currentColor); decorative, so hidden from screen readers. */
import { cn } from "@/components/ui/cn";

type TIconProps = { className?: string };

function Icon({ className, children, strokeWidth = 1.75 }: TIconProps & { children: React.ReactNode; strokeWidth?: number }) {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth={strokeWidth} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" className={cn("size-4 shrink-0", className)}>
      {children}
    </svg>
  );
}

export const HashIcon = (p: TIconProps) => (
  <Icon {...p}>
    <path d="M8 3 6 17M14 3l-2 14M3.5 7.5h14M2.5 12.5h14" />
  </Icon>
);

export const LockIcon = (p: TIconProps) => (
  <Icon {...p}>
    <rect x="4" y="9" width="12" height="8.5" rx="1.5" />
    <path d="M7 9V6.5a3 3 0 0 1 6 0V9" />
  </Icon>
);

export const MegaphoneIcon = (p: TIconProps) => (
  <Icon {...p}>
    <path d="M3 8v4a1 1 0 0 0 1 1h2l6 3.5V3.5L6 7H4a1 1 0 0 0-1 1ZM6 13l1 4h2l-.8-3.6M15 7.5a3 3 0 0 1 0 5" />
  </Icon>
);

export const PlusIcon = (p: TIconProps) => (
  <Icon {...p} strokeWidth={2}>
    <path d="M10 4v12M4 10h12" />
  </Icon>
);

export const ChevronDownIcon = (p: TIconProps) => (
  <Icon {...p} strokeWidth={2}>
    <path d="m5 7.5 5 5 5-5" />
  </Icon>
);

export const MenuIcon = (p: TIconProps) => (
  <Icon {...p} strokeWidth={2}>
    <path d="M3 5.5h14M3 10h14M3 14.5h14" />
  </Icon>
);

export const SendIcon = (p: TIconProps) => (
  <Icon {...p}>
    <path d="M3 10 17 3l-4 14-3.2-5.8L3 10ZM9.8 11.2 17 3" />
  </Icon>
);

export const PencilIcon = (p: TIconProps) => (
  <Icon {...p}>
    <path d="m13.5 3.5 3 3L7 16H4v-3l9.5-9.5Z" />
  </Icon>
);

export const TrashIcon = (p: TIconProps) => (
  <Icon {...p}>
    <path d="M3.5 5.5h13M8 5.5V4h4v1.5M5 5.5l.8 11h8.4l.8-11M8.5 8.5v5M11.5 8.5v5" />
  </Icon>
);

export const InfoIcon = (p: TIconProps) => (
  <Icon {...p}>
    <circle cx="10" cy="10" r="7.5" />
    <path d="M10 9v4.5M10 6.5v.01" />
  </Icon>
);

export const UsersIcon = (p: TIconProps) => (
  <Icon {...p}>
    <circle cx="7.5" cy="7" r="2.75" />
    <path d="M2.5 16.5c.5-2.8 2.4-4.3 5-4.3s4.5 1.5 5 4.3M13 4.5a2.6 2.6 0 0 1 0 5M14.5 12.4c1.7.4 2.8 1.8 3.1 4.1" />
  </Icon>
);

export const SettingsIcon = (p: TIconProps) => (
  <Icon {...p}>
    <circle cx="10" cy="10" r="2.5" />
    <path d="M10 2.5v2M10 15.5v2M2.5 10h2M15.5 10h2M4.7 4.7l1.4 1.4M13.9 13.9l1.4 1.4M4.7 15.3l1.4-1.4M13.9 6.1l1.4-1.4" />
  </Icon>
);

export const CheckIcon = (p: TIconProps) => (
  <Icon {...p} strokeWidth={2}>
    <path d="m4.5 10.5 3.5 3.5 7.5-8" />
  </Icon>
);

export const SearchIcon = (p: TIconProps) => (
  <Icon {...p}>
    <circle cx="9" cy="9" r="5.5" />
    <path d="m13 13 4 4" />
  </Icon>
);

export const ArchiveIcon = (p: TIconProps) => (
  <Icon {...p}>
    <rect x="2.5" y="3.5" width="15" height="4" rx="1" />
    <path d="M4 7.5v8a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1v-8M8 11h4" />
  </Icon>
);

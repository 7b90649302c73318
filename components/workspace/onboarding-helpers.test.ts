/** The pure helpers behind the onboarding screens: redirects, slugs, initials, error sentences, search. */
import { describe, expect, it } from "vitest";
import { getInitials } from "@/components/ui/avatar";
import { describeIssue, issuesToFormErrors } from "@/components/ui/form-errors";
import { getSafeCallbackPath, withCallbackUrl } from "@/components/workspace/callback-url";
import { canManageMember, getAssignableRoles, getInvitableRoles } from "@/components/workspace/member-permissions";
import { matchesSearch } from "@/components/workspace/search-text";
import { slugifyName, suggestSlug } from "@/components/workspace/slug";

describe("getSafeCallbackPath", () => {
  it("keeps same-site paths with their query", () => {
    expect(getSafeCallbackPath("/invite/abc?x=1")).toBe("/invite/abc?x=1");
  });

  it.each(["//evil.example", "/\\evil.example", "https://evil.example/x", "javascript:alert(1)", "/\t/evil.example", "evil", ""])("refuses %j", (raw) => {
    expect(getSafeCallbackPath(raw)).toBe("/workspaces");
  });

  it("accepts an absolute URL only on our own origin", () => {
    expect(getSafeCallbackPath("http://127.0.0.1:3000/w/acme", "/workspaces", "http://127.0.0.1:3000")).toBe("/w/acme");
    expect(getSafeCallbackPath("http://other:3000/w/acme", "/workspaces", "http://127.0.0.1:3000")).toBe("/workspaces");
  });

  it("never loops back to the sign-in pages", () => {
    expect(getSafeCallbackPath("/login?callbackUrl=/x")).toBe("/workspaces");
    expect(getSafeCallbackPath("/signup")).toBe("/workspaces");
  });

  it("carries the callback between sign-in and sign-up", () => {
    expect(withCallbackUrl("/signup", "/invite/abc")).toBe("/signup?callbackUrl=%2Finvite%2Fabc");
    expect(withCallbackUrl("/login", "/workspaces")).toBe("/login");
  });
});

describe("suggestSlug", () => {
  it("slugifies Latin names, folding accents and full-width letters", () => {
    expect(slugifyName("Acme Design Team")).toBe("acme-design-team");
    expect(slugifyName("Café Ünïon")).toBe("cafe-union");
    expect(slugifyName("ＡＢＣ　１２３")).toBe("abc-123");
  });

  it("falls back to team-<suffix> for names without Latin letters", () => {
    expect(suggestSlug("设计团队", "k7q2")).toBe("team-k7q2");
  });

  it("keeps the Latin part of mixed names", () => {
    expect(suggestSlug("Acme 设计", "k7q2")).toBe("acme");
  });

  it("adds the suffix to reserved or too short slugs", () => {
    expect(suggestSlug("Admin", "k7q2")).toBe("admin-k7q2");
    expect(suggestSlug("X", "k7q2")).toBe("x-k7q2");
  });
});

describe("getInitials", () => {
  it.each([
    ["Ada Lovelace", "AL"],
    ["张三", "张"],
    ["Alice Chen 陈爱丽", "AC"],
    ["  ", "?"],
    ["émile zola", "ÉZ"],
    // A combining accent after an ASCII letter stays with it (the letter alone is not the grapheme).
    ["e\u0301mile zola", "E\u0301Z"],
    ["Zoë Ng", "ZN"],
    ["张三丰", "张"],
    ["李 Lee", "李"],
    ["a", "A"],
    ["Ωmega Team", "ΩT"],
    ["👩‍💻 Dev", "👩‍💻D"],
  ])("%j → %j", (name, initials) => {
    expect(getInitials(name)).toBe(initials);
    // Worked out once and remembered: the same answer the second time.
    expect(getInitials(name)).toBe(initials);
  });
});

describe("form errors", () => {
  it("reads schema messages as sentences about the field", () => {
    expect(describeIssue("Password", "must be at least 8 characters")).toBe("Password must be at least 8 characters");
    expect(describeIssue("Email", "An account with this email already exists")).toBe("An account with this email already exists");
  });

  it("puts issues under their fields and the rest on the form", () => {
    const errors = issuesToFormErrors(
      [
        { path: "slug", message: "is already taken" },
        { path: ["name"], message: "is required" },
        { path: "other", message: "Something else" },
      ],
      { name: "Name", slug: "URL" },
    );
    expect(errors).toEqual({ fields: { slug: "URL is already taken", name: "Name is required" }, form: "Something else" });
  });
});

describe("member permissions", () => {
  const member = { userId: "u2", role: "MEMBER" as const };
  const admin = { userId: "u3", role: "ADMIN" as const };

  it("lets admins manage members but not admins or themselves", () => {
    expect(canManageMember("ADMIN", "u1", member)).toBe(true);
    expect(canManageMember("ADMIN", "u1", admin)).toBe(false);
    expect(canManageMember("ADMIN", "u2", member)).toBe(false);
    expect(canManageMember("MEMBER", "u1", member)).toBe(false);
  });

  it("lets owners manage admins and give every role", () => {
    expect(canManageMember("OWNER", "u1", admin)).toBe(true);
    expect(getAssignableRoles("OWNER")).toEqual(["OWNER", "ADMIN", "MEMBER", "GUEST"]);
    expect(getAssignableRoles("ADMIN")).toEqual(["MEMBER", "GUEST"]);
  });

  it("lets members invite members only, and guests not at all", () => {
    expect(getInvitableRoles("MEMBER")).toEqual(["MEMBER"]);
    expect(getInvitableRoles("GUEST")).toEqual([]);
    expect(getInvitableRoles("OWNER")).toEqual(["ADMIN", "MEMBER", "GUEST"]);
  });
});

describe("matchesSearch", () => {
  it("matches Chinese substrings and ignores case and full width", () => {
    expect(matchesSearch("小明", "王小明")).toBe(true);
    expect(matchesSearch("ＡＤＡ", "Ada Lovelace")).toBe(true);
    expect(matchesSearch("bob", "Alice", "alice@example.test")).toBe(false);
    expect(matchesSearch("  ", "anything")).toBe(true);
  });
});

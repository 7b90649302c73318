import { describe, expect, it } from "vitest";
import { describeReaction } from "@/components/chat/reactions";

const names = new Map(Array.from({ length: 30 }, (_, i) => [`u${i}`, `Person ${i}`]));
const reaction = (userIds: string[]) => ({ emoji: "tada", count: userIds.length, userIds });

describe("describeReaction", () => {
  it("names who reacted, me as you, and someone for a name not known yet", () => {
    expect(describeReaction(reaction(["me"]), "me", names)).toBe("you reacted with :tada:");
    expect(describeReaction(reaction(["u1", "me"]), "me", names)).toBe("Person 1 and you reacted with :tada:");
    expect(describeReaction(reaction(["u1", "stranger", "u2"]), "me", names)).toBe("Person 1, someone and Person 2 reacted with :tada:");
  });

  it("names ten people and counts the rest", () => {
    const many = Array.from({ length: 12 }, (_, i) => `u${i}`);
    expect(describeReaction(reaction([...many, "me"]), "me", names)).toBe(`${many.slice(0, 10).map((id) => names.get(id)).join(", ")}, you and 2 others reacted with :tada:`);
    expect(describeReaction(reaction(many.slice(0, 11)), "me", names)).toBe(`${many.slice(0, 10).map((id) => names.get(id)).join(", ")} and 1 other reacted with :tada:`);
  });
});

import { describe, expect, it } from "vitest";
import { rotationStatus } from "./rotation";

const DAY = 86_400_000;
const changed = new Date("2026-01-01T00:00:00Z");
const at = (days: number) => new Date(changed.getTime() + days * DAY);

describe("rotation windows (interval 30 days, notice 7 days)", () => {
  const policy = { intervalDays: 30, notifyBeforeDays: 7, valueChangedAt: changed };
  it("is ok until the notice window opens, due soon inside it, overdue from the due date", () => {
    expect(rotationStatus(policy, at(0))).toMatchObject({ state: "ok", daysRemaining: 30 });
    expect(rotationStatus(policy, at(22.5))).toMatchObject({ state: "ok", daysRemaining: 8 });
    expect(rotationStatus(policy, at(23))).toMatchObject({ state: "due_soon", daysRemaining: 7 });
    expect(rotationStatus(policy, at(29.99))).toMatchObject({ state: "due_soon", daysRemaining: 1 });
    expect(rotationStatus(policy, at(30))).toMatchObject({ state: "overdue", daysRemaining: 0 });
    expect(rotationStatus(policy, at(45))).toMatchObject({ state: "overdue", daysRemaining: -15 });
    expect(rotationStatus(policy, at(30)).state === "none" ? null : rotationStatus(policy, at(30))).toMatchObject({ dueAt: at(30) });
  });
  it("has no status without an interval, and no notice window without notify-before days", () => {
    expect(rotationStatus({ intervalDays: null, notifyBeforeDays: 7, valueChangedAt: changed }, at(400))).toEqual({ state: "none" });
    expect(rotationStatus({ intervalDays: 10, notifyBeforeDays: null, valueChangedAt: changed }, at(9.5)).state).toBe("ok");
    expect(rotationStatus({ intervalDays: 10, notifyBeforeDays: null, valueChangedAt: changed }, at(10)).state).toBe("overdue");
  });
});

"use client";
import { useId } from "react";
import { cn } from "./cn";
import { inputClasses } from "./field";

/** A labelled select (the label points at it by id, so its name is the label alone, not its options). */
export function SelectField({ label, errors, className, children, ...select }: React.SelectHTMLAttributes<HTMLSelectElement> & { label: string; errors?: string[] }) {
  const id = `select-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className={cn("space-y-1.5", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <select id={id} className={inputClasses} aria-invalid={errorId ? true : undefined} aria-describedby={errorId} {...select}>
        {children}
      </select>
      {errorId && (
        <p id={errorId} className="text-xs font-medium text-red-600 dark:text-red-400">
          {errors?.join(" ")}
        </p>
      )}
    </div>
  );
}

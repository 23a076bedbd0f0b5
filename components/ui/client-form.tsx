"use client";
import { useEffect, useState, type FormHTMLAttributes } from "react";

type ClientFormProps = Omit<FormHTMLAttributes<HTMLFormElement>, "onSubmit" | "method" | "action"> & {
  /** The form's fields, when it is submitted (never for a submit bubbling from a portalled form such as the sudo dialog). */
  onData: (data: FormData, form: HTMLFormElement) => void;
};

/**
 * A form handled by JavaScript. Until React has hydrated it, its controls are
 * disabled: a click then would be the browser's own submission, a GET that puts
 * the fields in the URL (and history, logs). It posts, so even that could not.
 */
export function ClientForm({ onData, children, ...props }: ClientFormProps) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <form
      {...props}
      method="post"
      onSubmit={(e) => {
        // React bubbles the submit of a portalled form (the sudo dialog) through this one: not ours.
        if (e.target !== e.currentTarget) return;
        e.preventDefault();
        onData(new FormData(e.currentTarget), e.currentTarget);
      }}
    >
      <fieldset disabled={!hydrated} className="contents">
        {children}
      </fieldset>
    </form>
  );
}

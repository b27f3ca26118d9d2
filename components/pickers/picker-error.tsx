/** A picker fieldset's error, announced when it appears (a fieldset has no Field to show it). */
export function PickerError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="text-sm font-medium text-red-700">
      {message}
    </p>
  );
}

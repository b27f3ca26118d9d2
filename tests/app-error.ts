import { AppError } from "@/lib/http";

/** Awaits a promise that must reject with an AppError, and returns that error. */
export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error("expected an AppError, got success");
    },
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw error;
  return error;
}

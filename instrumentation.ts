/** Runs once per server process before it serves requests. */
export async function register() {
  // Node-only code sits behind this exact check so the Edge bundle leaves it out.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./instrumentation-node");
  }
}

export default function LoadingOpportunities() {
  return (
    <div role="status" aria-live="polite" className="space-y-3">
      <span className="sr-only">Loading opportunities…</span>
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="h-32 animate-pulse rounded-lg bg-slate-100 motion-reduce:animate-none" />
      ))}
    </div>
  );
}

// CopyCounters is process-wide: tests that prove "no copy" must not run beside tests that copy.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// The soaks are bounded in time and measure what a run did: they run one after another, not beside each other, so
// that each gets the machine's two cores and its load is what docs/reliability.md says.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

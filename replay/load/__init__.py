"""Load mode: the scenario as many virtual users at once, with latency percentiles."""

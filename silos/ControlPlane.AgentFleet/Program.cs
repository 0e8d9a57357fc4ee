using ControlPlane.AgentFleet;
await AgentFleetHost.Build(args).RunAsync();

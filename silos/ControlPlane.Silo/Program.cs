using ControlPlane.Silo;
var app = ControlPlaneHost.Build(args);
await app.RunAsync();

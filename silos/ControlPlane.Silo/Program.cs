using ControlPlane.Silo;

// A failure to start (a bad setting, the database unreachable for good) ends the process with status 1
// and its reason on stderr, never with an abort: a supervisor starts it again.
StartupJitProfile.Start();
try
{
    var app = ControlPlaneHost.Build(args);
    await app.RunAsync();
    return 0;
}
catch (PortsInUseException e)
{
    foreach (var port in e.Ports) await Console.Error.WriteLineAsync($"ControlPlane silo: {port}");
    return 1;
}
catch (Exception e)
{
    await Console.Error.WriteLineAsync($"ControlPlane silo: ended by {e.GetType().FullName}: {e.Message}");
    await Console.Error.WriteLineAsync(e.ToString());
    return 1;
}

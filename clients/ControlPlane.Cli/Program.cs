using ControlPlane.Cli;
return await CpCtl.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, stderrIsTerminal: !Console.IsErrorRedirected);

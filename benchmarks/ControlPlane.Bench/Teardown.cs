namespace ControlPlane.Bench;

/// <summary>
/// What must be undone however the run ends (normally, on an error, on Ctrl+C or SIGTERM): child
/// processes killed, temporary files deleted. Runs each action once, the last registered first.
/// </summary>
public sealed class Teardown
{
    private readonly Lock _lock = new();
    private readonly Stack<(string What, Action Undo)> _actions = new();

    public void Register(string what, Action undo)
    {
        lock (_lock) _actions.Push((what, undo));
    }

    public void Run()
    {
        while (true)
        {
            (string What, Action Undo) action;
            lock (_lock)
            {
                if (!_actions.TryPop(out action)) return;
            }
            try
            {
                action.Undo();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"warning: could not undo '{action.What}': {e.Message}");
            }
        }
    }
}

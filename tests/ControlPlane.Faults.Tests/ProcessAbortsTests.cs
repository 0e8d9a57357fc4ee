using ControlPlane.Faults.Checks;

namespace ControlPlane.Faults.Tests;

/// <summary>The supervisor's exit lines: a kill, a stop and a silo ending itself pass; an abort or a segfault fails and is named.</summary>
public sealed class ProcessAbortsTests
{
    [Fact]
    public void Kills_stops_and_evictions_are_not_aborts()
    {
        var check = ProcessAborts.Check(
        [
            """{"supervisor":"silo 2 exited with status 137 at 09:06:17.811; starting it again in 1 s"}""",
            """{"supervisor":"silo 2 exited with status 70 at 09:48:18.559; starting it again in 1 s"}""",
            """{"supervisor":"silo 3 exited with status 143 at 09:50:01.000; starting it again in 1 s"}""",
            """{"Timestamp":"09:48:17.495 ","LogLevel":"Information","Message":"status 134 mentioned in passing"}""",
        ]);
        Assert.True(check.Passed);
    }

    [Fact]
    public void An_abort_fails_the_check_and_names_the_silo()
    {
        var check = ProcessAborts.Check(
        [
            """{"supervisor":"silo 1 exited with status 134 at 09:40:32.458; starting it again in 1 s"}""",
            """{"supervisor":"silo 3 exited with status 139 at 09:41:00.000; starting it again in 1 s"}""",
        ]);
        Assert.False(check.Passed);
        Assert.Equal(2, check.Violations);
        Assert.Contains("silo 1 exited with status 134 at 09:40:32.458", check.Examples);
    }

    [Fact]
    public void Only_the_lines_written_after_the_offset_are_read()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "before\n");
            var offset = ProcessAborts.Length(file);
            File.AppendAllText(file, "after 1\nafter 2\n");
            Assert.Equal(["after 1", "after 2"], ProcessAborts.LinesAfter(file, offset));
            Assert.Empty(ProcessAborts.LinesAfter(file + ".missing", 0));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

using RescueKit.Host;

namespace RescueKit.Restore;

/// <summary>The expert mode's shell: the rescue system's sh, a login shell (its /etc/profile sets the prompt and the
/// modprobe of kmod), on the same console, through the one runner.</summary>
public static class ExpertShell
{
    public static int Start() => new ToolRunner(Serilog.Core.Logger.None).RunInteractive(["/bin/sh", "-l"]);
}

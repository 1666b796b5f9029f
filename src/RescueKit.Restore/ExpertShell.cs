using System.Diagnostics;

namespace RescueKit.Restore;

/// <summary>The expert mode's shell: the rescue system's sh with the rescue tools on PATH, on the same console.</summary>
public static class ExpertShell
{
    public static int Start()
    {
        var psi = new ProcessStartInfo("/bin/sh", ["-l"]) { UseShellExecute = false };
        psi.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        return p.ExitCode;
    }
}

using System.Diagnostics;
using NUnit.Framework;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>Runs the host tools the boot tests build their fixtures with (cpio, xorriso, kmod).</summary>
public static class HostTool
{
    private static readonly string[] SearchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>The tool's absolute path; fails the test naming the Debian package when it is not installed.</summary>
    public static string Require(string program, string debianPackage)
    {
        foreach (var dir in SearchPath)
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"{program} not found: apt-get install {debianPackage}");
        throw new UnreachableException();
    }

    /// <summary>Runs a program from an argv list and returns its stdout; throws with stderr on a non-zero exit.</summary>
    public static string Run(string program, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException(
                $"'{program} {string.Join(' ', psi.ArgumentList)}' exited {p.ExitCode}: {stderr.Result.Trim()}");
        return stdout.Result;
    }
}

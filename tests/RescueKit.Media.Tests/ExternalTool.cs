using System.Diagnostics;

namespace RescueKit.Media.Tests;

/// <summary>Runs an independent tool for a test; a missing tool fails the test and names its Debian package.</summary>
internal static class ExternalTool
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, string package, IEnumerable<string> args,
        string? stdinFile = null, string? workingDirectory = null, int timeoutSeconds = 300)
    {
        var path = Find(program) ?? throw new AssertionException($"{program} not found: apt-get install {package}");
        var psi = new ProcessStartInfo(path, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdinFile is not null)
            using (var input = File.OpenRead(stdinFile)) input.CopyTo(p.StandardInput.BaseStream);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(true);
            throw new AssertionException($"{program} timed out after {timeoutSeconds} s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public static string? Find(string program)
    {
        if (program.Contains('/')) return File.Exists(program) ? program : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") + ":/usr/sbin:/sbin").Split(':'))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, program))) return Path.Combine(dir, program);
        return null;
    }
}

using System.Diagnostics;
using NUnit.Framework;

namespace RescueKit.Tests.Shared;

/// <summary>
/// Runs an independent host tool for a test. A missing tool fails the test (never skips it) and names the Debian
/// package to install. Shared by the test projects as a linked source file.
/// </summary>
internal static class ExternalTool
{
    private static readonly string[] SearchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>
    /// The absolute path of <paramref name="program"/> (a bare name looked up in the system directories, or a path);
    /// fails the test naming <paramref name="debianPackage"/> when it is not installed.
    /// </summary>
    public static string Require(string program, string debianPackage)
    {
        var path = program.Contains('/')
            ? (File.Exists(program) ? program : null)
            : SearchPath.Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
        if (path is null) Assert.Fail($"{program} not found: apt-get install {debianPackage}");
        return path!;
    }

    /// <summary>
    /// Runs the program with its stdin fed from a file or a text (or closed), in the C locale and UTC, with PATH set to
    /// the system directories so a shell pipeline runs the same tools <see cref="Require"/> finds, and without the
    /// test host's LD_LIBRARY_PATH. A run longer than <paramref name="timeoutSeconds"/> is killed and fails the test.
    /// </summary>
    public static Result Run(string program, string debianPackage, IEnumerable<string> args,
        string? stdinFile = null, string? stdinText = null, string? workingDirectory = null, int timeoutSeconds = 300)
    {
        var psi = new ProcessStartInfo(Require(program, debianPackage))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";
        psi.Environment["LANG"] = "C";
        psi.Environment["TZ"] = "UTC";
        psi.Environment["PATH"] = string.Join(':', SearchPath);
        psi.Environment.Remove("LD_LIBRARY_PATH");
        using var p = Process.Start(psi)!;
        // Both pipes are drained while stdin is written, so a tool that answers before reading all input cannot block.
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdinFile is not null)
            using (var input = File.OpenRead(stdinFile)) input.CopyTo(p.StandardInput.BaseStream);
        if (stdinText is not null) p.StandardInput.Write(stdinText);
        p.StandardInput.Close();
        if (!p.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', psi.ArgumentList)} did not finish in {timeoutSeconds} s");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs as <see cref="Run"/> does, fails the test unless the exit code is 0, and returns stdout.</summary>
    public static string RunOk(string program, string debianPackage, IEnumerable<string> args,
        string? stdinFile = null, string? stdinText = null, string? workingDirectory = null, int timeoutSeconds = 300)
    {
        var argv = args.ToList();
        var r = Run(program, debianPackage, argv, stdinFile, stdinText, workingDirectory, timeoutSeconds);
        Assert.That(r.ExitCode, Is.EqualTo(0), $"{program} {string.Join(' ', argv)} exited {r.ExitCode}:\n{r.Stderr}");
        return r.Stdout;
    }
}

using NUnit.Framework;
using System.Diagnostics;

namespace RescueKit.Formats.Tests.Cpio;

/// <summary>
/// Runs an independent tool for [Category("Oracle")] tests. A missing tool fails the test (never skips it) and
/// names the Debian package to install.
/// </summary>
internal static class OracleTool
{
    private const string SearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    /// <summary>Fails the test unless <paramref name="program"/> is installed.</summary>
    public static string Require(string program, string debianPackage)
    {
        foreach (var dir in SearchPath.Split(':'))
        {
            var path = Path.Combine(dir, program);
            if (File.Exists(path)) return path;
        }
        Assert.Fail($"'{program}' is not installed; install the Debian package '{debianPackage}' to run this oracle test.");
        return null!;
    }

    /// <summary>Runs the program (TZ=UTC, LC_ALL=C) and returns its exit code and output.</summary>
    public static Result Run(string program, string debianPackage, IEnumerable<string> args, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(Require(program, debianPackage))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TZ"] = "UTC";
        psi.Environment["LC_ALL"] = "C";
        psi.Environment["PATH"] = SearchPath;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs and asserts exit code 0, returning stdout.</summary>
    public static string RunOk(string program, string debianPackage, params string[] args)
    {
        var r = Run(program, debianPackage, args);
        Assert.That(r.ExitCode, Is.EqualTo(0), $"{program} {string.Join(' ', args)} failed:\n{r.StdOut}\n{r.StdErr}");
        return r.StdOut;
    }

    /// <summary>A fresh temporary directory, deleted by the caller's TearDown.</summary>
    public static string CreateTempDirectory(string prefix) =>
        Directory.CreateTempSubdirectory("rescuekit-" + prefix + "-").FullName;
}

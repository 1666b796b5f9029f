using System.Diagnostics;
using NUnit.Framework;

namespace RescueKit.Discovery.Tests;

/// <summary>Runs the independent tools the oracle tests compare with; a missing tool fails the test, naming its package.</summary>
internal static class HostTools
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, string package, params string[] args)
    {
        var exe = new[] { "/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/" }.Select(d => d + program).FirstOrDefault(File.Exists);
        Assert.That(exe, Is.Not.Null, $"{program} is missing: install the Debian package '{package}'");
        var psi = new ProcessStartInfo(exe!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";
        psi.Environment.Remove("LD_LIBRARY_PATH");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    public static void MustRun(string program, string package, params string[] args)
    {
        var (code, _, stderr) = Run(program, package, args);
        Assert.That(code, Is.EqualTo(0), $"{program} {string.Join(' ', args)}: {stderr}");
    }

    /// <summary>realpath(3): every symlink in every component resolved.</summary>
    public static string RealPath(string path)
    {
        var dir = Path.GetDirectoryName(path);
        var realDir = dir is null || dir == "/" ? "/" : RealPath(dir);
        var full = Path.Join(realDir, Path.GetFileName(path));
        var target = new FileInfo(full).LinkTarget;
        return target is null ? full : RealPath(Path.GetFullPath(target.StartsWith('/') ? target : Path.Join(realDir, target)));
    }
}

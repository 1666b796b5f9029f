using System.Diagnostics;
using NUnit.Framework;

namespace RescueKit.Formats.Tests.Iso9660;

/// <summary>Runs the independent tools the oracle tests check images with; a missing tool fails the test naming its package.</summary>
internal static class OracleTool
{
    private static readonly Dictionary<string, string> Packages = new()
    {
        ["xorriso"] = "xorriso", ["isoinfo"] = "genisoimage", ["isovfy"] = "genisoimage", ["bsdtar"] = "libarchive-tools", ["fdisk"] = "fdisk",
        ["sgdisk"] = "gdisk", ["gdisk"] = "gdisk", ["mkfs.fat"] = "dosfstools", ["mknod"] = "coreutils",
        ["chown"] = "coreutils", ["touch"] = "coreutils", ["find"] = "findutils", ["stat"] = "coreutils",
    };

    public sealed record Result(int ExitCode, string Output);

    /// <summary>Runs <paramref name="program"/>; stdout and stderr together. Fails unless the exit code is allowed.</summary>
    public static Result Run(string program, IEnumerable<string> args, string? stdin = null, params int[] allowedExitCodes)
    {
        var path = new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
        if (path is null)
            Assert.Fail($"{program} is not installed: apt-get install {Packages.GetValueOrDefault(program, program)}");
        var psi = new ProcessStartInfo(path!)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LANG"] = "C";
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi)!;
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var output = stdout + stderr.Result;
        if (p.ExitCode != 0 && !allowedExitCodes.Contains(p.ExitCode))
            Assert.Fail($"{program} {string.Join(' ', args)} exited {p.ExitCode}:\n{output}");
        return new Result(p.ExitCode, output);
    }

    /// <summary>Collapses runs of spaces so report lines can be matched without counting columns.</summary>
    public static string Squeeze(string text) => string.Join('\n', text.Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
}

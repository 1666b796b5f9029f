using System.Diagnostics;

namespace RescueKit.Cli.Tests;

/// <summary>Runs the published rescuekit binary (out/publish/rescuekit, built by make publish) as a user would.</summary>
internal static class Rescuekit
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static string Binary
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RescueKit.sln"))) dir = dir.Parent;
            var path = dir is null ? null : Path.Combine(dir.FullName, "out", "publish", "rescuekit");
            if (path is null || !File.Exists(path)) Assert.Fail("out/publish/rescuekit is missing: run 'make publish' (make test does it first)");
            return path!;
        }
    }

    public static Result Run(params string[] args) => RunWith(null, args);

    public static Result RunWith(IDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo(Binary, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(true);
            Assert.Fail($"rescuekit {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}

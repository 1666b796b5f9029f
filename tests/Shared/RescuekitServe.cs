using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RescueKit.Tests.Shared;

/// <summary>
/// `rescuekit serve --backups DIR` (a published binary) on 127.0.0.1 of a free port, HTTP only, started as a user
/// would and up once it answers. Disposing stops it with SIGTERM (this process's own child) and keeps what it logged
/// in <see cref="Log"/>.
/// </summary>
public sealed class RescuekitServe : IDisposable
{
    private readonly Process _serve;
    private readonly Task<string> _stderr;

    private RescuekitServe(Process serve, Task<string> stderr, int port)
    {
        _serve = serve;
        _stderr = stderr;
        Port = port;
    }

    public int Port { get; }

    /// <summary>serve's log (one line per transfer), once it has stopped.</summary>
    public string Log { get; private set; } = "";

    /// <param name="probe">A path the server must answer 200 for before it counts as up.</param>
    public static RescuekitServe Start(string binary, string root, string backups, string probe)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var psi = new ProcessStartInfo(binary, ["serve", "--root", root, "--backups", backups, "--bind", "127.0.0.1",
            "--tftp-port", "0", "--http-port", port.ToString(CultureInfo.InvariantCulture)])
        { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        var process = Process.Start(psi)!;
        var served = new RescuekitServe(process, process.StandardError.ReadToEndAsync(), port);
        _ = process.StandardOutput.ReadToEndAsync();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; ; i++)
        {
            try
            {
                using var r = client.Send(new HttpRequestMessage(HttpMethod.Head, $"http://127.0.0.1:{port}{probe}"));
                if (r.IsSuccessStatusCode) return served;
                served.Dispose();
                Assert.Fail($"rescuekit serve answers {(int)r.StatusCode} for {probe}:\n{served.Log}");
            }
            catch (HttpRequestException) when (i < 100 && !process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }

    public void Dispose()
    {
        if (!_serve.HasExited)
        {
            Process.Start("kill", ["-TERM", _serve.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            if (!_serve.WaitForExit(TimeSpan.FromSeconds(20))) _serve.Kill();
        }
        _serve.WaitForExit();
        Log = _stderr.Result;
        _serve.Dispose();
    }
}

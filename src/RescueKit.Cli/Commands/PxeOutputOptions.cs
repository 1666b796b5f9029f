using System.CommandLine;
using System.Text.RegularExpressions;
using RescueKit.Core;
using RescueKit.Host;
using RescueKit.Media;
using RescueKit.Media.Pxe;
using RescueKit.Media.Steps;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>`mkrescue --output pxe`: this host's rescue system added to a PXE tree (docs/pxe.md).</summary>
internal sealed partial class PxeOutputOptions
{
    private readonly Option<string?> _root = new("--root") { Description = "With --output pxe: the PXE tree (TFTP and HTTP root) the host is added to" };
    private readonly Option<string?> _httpUrl = new("--http-url")
    {
        Description = "With --output pxe: the URL the tree is served at over HTTP (iPXE loads the kernel and initrd from it); without it no boot.ipxe is written",
    };
    private readonly Option<string[]> _macs = new("--mac")
    {
        Description = "With --output pxe: a MAC address of this host's boot NIC (repeatable); it gets its own pxelinux and GRUB files",
        AllowMultipleArgumentsPerToken = false,
    };
    private readonly Option<string?> _tftpServer = new("--tftp-server")
    {
        Description = "With --output pxe: the TFTP server's address built into the GRUB image (needed under proxyDHCP; default: the host of --http-url, else DHCP's next-server)",
    };
    private readonly Option<string?> _source = new("--source") { Description = "With --output pxe: rk.source= on the kernel command line (where the backup is)" };
    private readonly Option<string?> _hostName = new("--host-name") { Description = "With --output pxe: the host's name in the tree (default: this host's)" };

    private IEnumerable<Option> All => [_root, _httpUrl, _macs, _tftpServer, _source, _hostName];

    public void AddTo(Command command)
    {
        foreach (var o in All) command.Options.Add(o);
    }

    /// <summary>The PXE options mean nothing for an ISO: given there, they are a mistake to point out.</summary>
    public void RefuseWithoutPxe(ParseResult result)
    {
        var given = All.FirstOrDefault(o => result.GetResult(o) is { Implicit: false });
        if (given is not null) throw new BadInputException($"{given.Name} is an option of --output pxe: leave it out or use --output pxe");
    }

    public int Execute(ParseResult result, RescueMediaOptions media, Func<IToolRunner, ILogger, string?> captureLayout, IToolRunner runner,
        ILogger log, bool quiet, CancellationToken cancellationToken)
    {
        // Every input is checked before the build, which takes a while.
        var root = result.GetValue(_root) ?? throw new BadInputException("--output pxe needs --root DIR, the PXE tree to add this host to");
        root = Path.GetFullPath(root);
        var macs = (result.GetValue(_macs) ?? []).Select(m => PxeMac.Normalize(m)).Distinct(StringComparer.Ordinal).ToList();
        var httpUrl = result.GetValue(_httpUrl);
        Uri? http = null;
        if (httpUrl is not null && (!Uri.TryCreate(httpUrl, UriKind.Absolute, out http) || http.Scheme is not ("http" or "https") || http.Query.Length > 0))
            throw new BadInputException($"--http-url '{httpUrl}' is not an http:// or https:// URL: give e.g. http://192.168.1.2:8080/");
        var tftpServer = result.GetValue(_tftpServer) ?? http?.Host;
        if (tftpServer is not null && !ServerPattern().IsMatch(tftpServer))
            throw new BadInputException($"--tftp-server '{tftpServer}' is not an IP address or host name: give e.g. 192.168.1.2");
        var source = result.GetValue(_source);
        if (source is not null && !SourcePattern().IsMatch(source))
            throw new BadInputException($"--source '{source}' is not an rk.source: give auto, cdrom, label:LABEL, nfs:HOST:/PATH, http://HOST[:PORT]/PATH or tftp://HOST/PATH");
        var host = PxeTree.CheckHostName(result.GetValue(_hostName) ?? RescueMediaOptions.HostName(), "--host-name");
        PxeTree.CheckWritable(root);

        var config = media.Config(result, root, captureLayout(runner, log)) with { HostName = host };
        var step = new WritePxeTreeStep(new PxeRequest { Macs = macs, HttpUrl = http?.AbsoluteUri, TftpServer = tftpServer, Source = source });
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var context = RescueMediaOptions.Build(config, RescueMediaBuilder.PxeSteps(step), runner, log, quiet, cancellationToken);

        foreach (var note in context.Notes) log.Warning("Note: {Note}", note);
        var manifest = step.Written!;
        var initrd = manifest.Files.Single(f => f.Name == PxeTree.InitrdFile);
        Console.WriteLine($"PXE tree: {root}, host {host} ({(macs.Count == 0 ? "no MAC: in the default menus only" : string.Join(", ", macs.Select(m => m.Replace('-', ':'))))}), " +
                          $"kernel {manifest.Kernel}, initrd {initrd.Size / 1048576.0:F1} MiB, " +
                          $"{System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        return ExitCodes.Ok;
    }

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.:-]*[A-Za-z0-9])?$")]
    private static partial Regex ServerPattern();

    [GeneratedRegex(@"^(auto|cdrom|label:[^\s]+|nfs:[^\s:]+:/[^\s]*|(http|https|tftp)://[^\s/]+(/[^\s]*)?)$")]
    private static partial Regex SourcePattern();
}

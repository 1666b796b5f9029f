using System.CommandLine;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Net.Http;
using Serilog;
using Spectre.Console;

namespace RescueKit.Cli.Commands;

/// <summary>
/// `rescuekit fetch URL --sha256 HEX --out FILE`: one file over HTTP, its SHA-256 checked while it streams in, resumed
/// after a dropped connection, renamed into place only when sound. A bar on a terminal, plain lines otherwise. docs/pxe.md.
/// </summary>
internal sealed class FetchCommand : RescueCommand
{
    private readonly Argument<string> _url = new("URL") { Description = "http://HOST[:PORT]/PATH of the file" };
    private readonly Option<string?> _sha256 = new("--sha256") { Description = "The file's expected SHA-256 (64 hex digits); a mismatch deletes the download" };
    private readonly Option<string> _out = new("--out") { Description = "Where to write the file (renamed into place when complete and verified)", Required = true };

    public FetchCommand() : base("fetch", "Download a file over HTTP, checking its SHA-256, resuming after dropped connections")
    {
        Arguments.Add(_url);
        Options.Add(_sha256);
        Options.Add(_out);
    }

    protected override bool QuietConsole => !Console.IsOutputRedirected;

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var url = HttpFetcher.ParseUrl(result.GetValue(_url)!, "URL");
        var sha256 = result.GetValue(_sha256);
        if (sha256 is not null && (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit)))
            throw new BadInputException($"--sha256 {sha256} is not a SHA-256: give 64 hex digits (sha256sum FILE)");
        var output = result.GetValue(_out)!;
        var directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        if (!Directory.Exists(directory)) throw new BadInputException($"--out {output}: directory {directory} does not exist: create it first");
        if (Directory.Exists(output)) throw new BadInputException($"--out {output} is a directory: give the file's path");

        using var fetcher = new HttpFetcher(new FetchSettings(), log);
        string actual;
        try
        {
            actual = Console.IsOutputRedirected ? FetchPlain(fetcher, url, sha256, output, cancellationToken)
                : FetchWithBar(fetcher, url, sha256, output, cancellationToken);
        }
        catch (FetchHashMismatchException)
        {
            log.Error("{Output} was not written", output);
            throw;
        }
        Console.WriteLine($"{output}: {ByteSize.Format(new FileInfo(output).Length)}, SHA-256 {actual}{(sha256 is null ? "" : " (as expected)")}");
        return ExitCodes.Ok;
    }

    private static string FetchPlain(HttpFetcher fetcher, Uri url, string? sha256, string output, CancellationToken cancellationToken)
    {
        var lines = new ProgressLines(Path.GetFileName(output));
        return fetcher.FetchFile(url, sha256, output, (read, total) => { if (total is { } t) lines.Report(read, t); }, cancellationToken);
    }

    private static string FetchWithBar(HttpFetcher fetcher, Uri url, string? sha256, string output, CancellationToken cancellationToken) =>
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(Path.GetFileName(output)), autoStart: true, maxValue: 1);
                return fetcher.FetchFile(url, sha256, output, (read, total) =>
                {
                    if (total is { } t) task.MaxValue = t;
                    task.Value = read;
                }, cancellationToken);
            });
}

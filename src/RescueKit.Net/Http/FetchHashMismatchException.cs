using RescueKit.Core;

namespace RescueKit.Net.Http;

/// <summary>A download arrived whole but its SHA-256 is not the expected one; nothing of it was kept.</summary>
public sealed class FetchHashMismatchException(Uri url, string expected, string actual)
    : RescueKitException($"{url}: SHA-256 {actual} is not the expected {expected}; the download was deleted " +
        "(the file on the server changed or is corrupted: check the server's copy and the expected hash)", ExitCodes.CheckFailed)
{
    public string Actual { get; } = actual;
}

namespace RescueKit.Core;

/// <summary>The process exit codes of every rescuekit verb, in one table so scripts can rely on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command line itself was wrong (System.CommandLine's own parse errors use this too).</summary>
    public const int Usage = 1;
    /// <summary>An external tool or an operation failed while doing the work.</summary>
    public const int Failed = 2;
    /// <summary>The host lacks something the work needs (a kernel, a boot loader file, a tool): install the named package.</summary>
    public const int MissingPrerequisite = 3;
    /// <summary>An input given by the user is unusable (a path that does not exist, a bad label, a bad size).</summary>
    public const int BadInput = 4;
    /// <summary>A self-check found something broken (selftest, verify).</summary>
    public const int CheckFailed = 5;
    /// <summary>The work completed, but something was left out and listed (a backup with unreadable or vanished files).</summary>
    public const int CompletedWithWarnings = 6;
    /// <summary>A bug in RescueKit: an exception nobody expected.</summary>
    public const int Internal = 70;
    /// <summary>Interrupted by Ctrl+C or SIGTERM.</summary>
    public const int Cancelled = 130;
}

namespace RescueKit.Restore;

/// <summary>The front-end modes of DESIGN §1 (rk.mode= on the kernel command line).</summary>
public enum RestoreMode { Interactive, Nuke, Compare, Expert }

/// <summary>How the front-end was started.</summary>
public sealed record RestoreOptions(RestoreMode Mode, string? Source = null, bool Unattended = false,
    bool NoResize = false, bool NoPartition = false, string? Backup = null);

namespace RescueKit.Discovery.Layout;

/// <summary>What <see cref="LayoutCapture"/> captures.</summary>
public sealed class LayoutCaptureOptions
{
    /// <summary>Disks, loop devices and disk image files to capture; empty means the whole host.</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>What messages call one of <see cref="Devices"/>: the name the caller asked for them by (the command
    /// line: --device).</summary>
    public string DeviceInput { get; init; } = "device";

    /// <summary>The version stamped into the layout (default: this assembly's).</summary>
    public string? ToolVersion { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

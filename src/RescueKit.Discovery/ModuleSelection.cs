namespace RescueKit.Discovery;

/// <summary>Which kernel modules go into the rescue system before dependencies are added.</summary>
public enum ModuleSelection
{
    /// <summary>The families a rescue needs (DESIGN §5: storage, filesystems, RAID/device-mapper, network, USB and
    /// HID, virtio, crypto; see <see cref="ModuleFamilies"/>) plus every module loaded on the host now.</summary>
    Host,

    /// <summary>Every module in modules.dep.</summary>
    All,

    /// <summary>Only the explicitly named extra modules (and what they need).</summary>
    None,
}

using RescueKit.Core.Layout;
using RescueKit.Core.Restore;

namespace RescueKit.Restore.Planning;

/// <summary>
/// LUKS containers with the same version, UUID, cipher, key size, hash and sector size, then opened under the name
/// they had. The passphrase is never in the plan: both steps name it (<see cref="SecretOf"/>) and the executor writes
/// it on cryptsetup's standard input, from which cryptsetup reads one line when it is not a terminal; run by hand,
/// cryptsetup asks on the terminal.
/// </summary>
internal static class LuksSteps
{
    /// <param name="onLogicalVolumes">The containers that sit on LVs (LUKS on LVM) when true, the others when false,
    /// so each is made after what it sits on.</param>
    /// <summary>The name under which a container's passphrase reaches the executor.</summary>
    public static string SecretOf(LuksDevice luks) => $"luks:{luks.Uuid}";

    public static void Add(PlanBuilder plan, HostLayout layout, DeviceTranslation names, bool onLogicalVolumes)
    {
        var lvPaths = layout.Lvm.VolumeGroups.SelectMany(vg => vg.LogicalVolumes.Select(lv => lv.Path ?? $"/dev/{vg.Name}/{lv.Name}")).ToHashSet();
        foreach (var luks in layout.Luks.Where(l => lvPaths.Contains(l.Device) == onLogicalVolumes))
        {
            var device = names.Translate(luks.Device);
            if (device is null) continue;
            var name = luks.MappedName ?? $"luks-{luks.Uuid}";
            List<string> format = ["cryptsetup", "luksFormat", "--batch-mode", "--type", $"luks{luks.Version}", "--uuid", luks.Uuid,
                "--cipher", luks.Cipher, "--key-size", luks.KeySize.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            if (luks.Hash is { } hash) format.AddRange(["--hash", hash]);
            if (luks.SectorSize is { } sector && luks.Version == 2)
                format.AddRange(["--sector-size", sector.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (luks.Label is { } label && luks.Version == 2) format.AddRange(["--label", label]);
            format.Add(device);
            var id = PlanBuilder.IdOf(device);
            plan.Add($"luks-{id}", RestoreStepKinds.Luks, $"LUKS{luks.Version} container on {device} (UUID {luks.Uuid}, {luks.Cipher})",
                format, reads: [device], makes: [$"luks:{device}"], writes: [device], secretInput: SecretOf(luks));
            plan.Add($"luks-open-{id}", RestoreStepKinds.Luks, $"open {device} as /dev/mapper/{name}",
                ["cryptsetup", "open", device, name], reads: [$"luks:{device}"], makes: [$"/dev/mapper/{name}"], writes: [],
                secretInput: SecretOf(luks));
        }
    }
}

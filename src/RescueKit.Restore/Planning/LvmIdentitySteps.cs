using RescueKit.Core.Layout;
using RescueKit.Core.Restore;

namespace RescueKit.Restore.Planning;

/// <summary>
/// The volume groups' and logical volumes' UUIDs put back. vgcreate and lvcreate cannot be given a UUID, so after they
/// ran, the VG's metadata is written out (vgcfgbackup), the layout's UUIDs are put in place of the new ones for the VG
/// and for each LV by name, and the metadata is restored (vgcfgrestore) with the VG deactivated. Everything else in it
/// (extents, segments, the PVs, which pvcreate already gave their UUIDs) stays as vgcreate and lvcreate made it, so
/// this also holds after resizing. A VG with thin pools needs vgcfgrestore --force, which LVM asks for before it writes
/// thin metadata because a pool's transaction id in it must match the pool's own: here it does, since the metadata
/// written out is the fresh pool's, with only UUIDs changed.
/// </summary>
internal static class LvmIdentitySteps
{
    /// <summary>
    /// The script the step runs as <c>sh -c SCRIPT rk-lvm-uuids VG VG_UUID thin|plain [LV LV_UUID]...</c>: busybox sh and awk
    /// (the rescue system's), lvm. The awk keeps a stack of the metadata's "name {" blocks and rewrites the first
    /// <c>id = "..."</c> of the VG block (depth 1) and of each named LV block (logical_volumes, depth 3).
    /// </summary>
    private const string Script = """
        set -eu
        vg=$1 vgid=$2 kind=$3
        shift 3
        force=
        if [ "$kind" = thin ]; then force=--force; fi
        file=/run/rescuekit/lvm-$vg.metadata
        mkdir -p /run/rescuekit
        lvm vgcfgbackup --file "$file" "$vg"
        awk -v vg="$vg" -v vgid="$vgid" -v lvs="$*" '
        BEGIN { n = split(lvs, a, " "); for (i = 1; i < n; i += 2) uuid[a[i]] = a[i + 1] }
        /^[ \t]*[^ \t#]+ \{[ \t]*$/ { depth++; name[depth] = $1; print; next }
        /^[ \t]*\}[ \t]*$/ { depth--; print; next }
        /^[ \t]*id = "/ {
            if (depth == 1 && name[1] == vg) sub(/"[^"]*"/, "\"" vgid "\"")
            else if (depth == 3 && name[2] == "logical_volumes" && (name[3] in uuid)) sub(/"[^"]*"/, "\"" uuid[name[3]] "\"")
        }
        { print }' "$file" > "$file.new"
        lvm vgchange --activate n "$vg"
        lvm vgcfgrestore $force --file "$file.new" "$vg"
        lvm vgchange --activate y "$vg"
        lvm vgs --noheadings -o vg_uuid "$vg"
        """;

    public static void Add(PlanBuilder plan, LvmLayout lvm)
    {
        foreach (var vg in lvm.VolumeGroups)
        {
            var step = $"vg-{vg.Name}";
            if (plan.Steps.All(s => s.Id != step)) continue; // not recreated: its PVs are on disks left out
            var thin = vg.LogicalVolumes.Any(lv => lv.SegmentType is "thin" or "thin-pool");
            // Both names of each LV, as the layout may use either: /dev/vg0/root and /dev/mapper/vg0-root.
            var paths = vg.LogicalVolumes.SelectMany(lv => new[] { lv.Path ?? $"/dev/{vg.Name}/{lv.Name}", DeviceNames.Mapper(vg.Name, lv.Name) }).ToList();
            plan.Add($"lvm-uuids-{vg.Name}", RestoreStepKinds.VolumeGroup,
                $"volume group {vg.Name} and its {vg.LogicalVolumes.Count} logical volumes given their UUIDs again (UUID {vg.Uuid})",
                ["sh", "-c", Script, "rk-lvm-uuids", vg.Name, vg.Uuid, thin ? "thin" : "plain", .. vg.LogicalVolumes.SelectMany(lv => new[] { lv.Name, lv.Uuid })],
                reads: [$"vg:{vg.Name}", .. paths], makes: paths, writes: [], after: [step]);
        }
    }
}

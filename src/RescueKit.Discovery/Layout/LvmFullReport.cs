using System.Text.Json;
using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

/// <summary>
/// Parses `lvm fullreport --reportformat json --units b --nosuffix`: one report object per VG (plus one for orphan
/// PVs), each with vg, pv, lv, pvseg and seg lists whose values are all strings.
/// </summary>
internal static class LvmFullReport
{
    public static LvmLayout Parse(string json)
    {
        using var doc = JsonFields.Parse(json, "lvm fullreport");
        if (!doc.RootElement.TryGetProperty("report", out var reports) || reports.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException("lvm fullreport printed JSON without a report list");
        var pvs = new List<LvmPhysicalVolume>();
        var vgs = new List<LvmVolumeGroup>();
        foreach (var report in reports.EnumerateArray())
        {
            var vg = JsonFields.Array(report, "vg").FirstOrDefault();
            var vgName = vg.ValueKind == JsonValueKind.Object ? JsonFields.String(vg, "vg_name") : null;
            foreach (var pv in JsonFields.Array(report, "pv"))
                pvs.Add(new LvmPhysicalVolume
                {
                    Device = Need(pv, "pv_name", "PV"),
                    Uuid = Need(pv, "pv_uuid", "PV"),
                    VolumeGroup = vgName,
                    Size = JsonFields.Long(pv, "pv_size") ?? JsonFields.Long(pv, "dev_size") ?? 0,
                });
            if (vgName is null) continue;
            // The first segment decides the LV's type; lvcreate recreates multi-segment LVs as their first type.
            var firstSegments = JsonFields.Array(report, "seg")
                .Where(s => JsonFields.String(s, "lv_uuid") is not null)
                .GroupBy(s => JsonFields.String(s, "lv_uuid")!)
                .ToDictionary(g => g.Key, g => g.OrderBy(s => JsonFields.Long(s, "seg_start") ?? 0).First());
            // LVM's internal LVs (pool data and metadata, raid images; bracketed names, listed only with -a) are made
            // by lvcreate along with their LV, so a layout leaves them out.
            var lvs = JsonFields.Array(report, "lv").Where(lv => JsonFields.String(lv, "lv_name")?.StartsWith('[') == false).Select(lv =>
            {
                var uuid = Need(lv, "lv_uuid", "LV");
                var seg = firstSegments.TryGetValue(uuid, out var s) ? s : default;
                var hasSeg = seg.ValueKind == JsonValueKind.Object;
                var stripeSize = hasSeg ? JsonFields.Long(seg, "stripe_size") : null;
                return new LvmLogicalVolume
                {
                    Name = Need(lv, "lv_name", "LV"),
                    Uuid = uuid,
                    Path = JsonFields.String(lv, "lv_path"),
                    Size = JsonFields.Long(lv, "lv_size") ?? 0,
                    SegmentType = (hasSeg ? JsonFields.String(seg, "segtype") : null) ?? JsonFields.String(lv, "lv_layout") ?? "linear",
                    Stripes = (int)((hasSeg ? JsonFields.Long(seg, "stripes") : null) ?? 1),
                    StripeSize = stripeSize is > 0 ? stripeSize : null,
                    Pool = JsonFields.String(lv, "pool_lv"),
                };
            }).ToArray();
            vgs.Add(new LvmVolumeGroup
            {
                Name = vgName,
                Uuid = Need(vg, "vg_uuid", "VG"),
                ExtentSize = JsonFields.Long(vg, "vg_extent_size") ?? throw new InvalidDataException($"lvm fullreport gave VG {vgName} no vg_extent_size"),
                Size = JsonFields.Long(vg, "vg_size") ?? 0,
                LogicalVolumes = lvs,
            });
        }
        return new LvmLayout { PhysicalVolumes = pvs, VolumeGroups = vgs };
    }

    private static string Need(JsonElement e, string field, string what) =>
        JsonFields.String(e, field) ?? throw new InvalidDataException($"lvm fullreport listed a {what} without {field}");
}

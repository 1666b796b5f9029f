using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

// What is stacked on the partitions: md arrays, LVM, LUKS.
public sealed partial class LayoutCapture
{
    private List<MdArray> MdArrays(Session session)
    {
        var arrays = session.Nodes.Values
            .Where(n => n.Lsblk is not null && (n.Type.StartsWith("raid", StringComparison.Ordinal) || n.Type == "linear"))
            .ToList();
        if (arrays.Count == 0) return [];
        var stat = ReadHostFile(session, MdStat.ProcPath, MdStat.Parse);
        var result = new List<MdArray>();
        foreach (var node in arrays)
        {
            var what = $"the md array {node.Path}";
            var text = RunOptional(session, ["mdadm", "--detail", "--export", node.Path], what);
            var array = ParseOptional(session, text, t => MdadmDetail.Parse(node.Path, t), what);
            if (array is null) continue;
            var kname = node.KName ?? Path.GetFileName(node.Path);
            result.Add(MdadmDetail.WithMdStat(array, stat?.GetValueOrDefault(kname)) with { Size = node.Size });
        }
        return result;
    }

    /// <summary>LVM, when blkid found a PV in scope: the PVs in scope, their VGs and every PV of those VGs.</summary>
    private LvmLayout Lvm(Session session)
    {
        if (!session.Probes.Values.Any(p => p.Type == "LVM2_member")) return new LvmLayout();
        var text = RunOptional(session, ["lvm", "fullreport", "--reportformat", "json", "--units", "b", "--nosuffix"], "LVM");
        var all = ParseOptional(session, text, LvmFullReport.Parse, "LVM");
        if (all is null) return new LvmLayout();
        if (session.WholeHost) return all;
        var groups = all.PhysicalVolumes.Where(pv => session.Find(pv.Device) is not null && pv.VolumeGroup is not null)
            .Select(pv => pv.VolumeGroup!).ToHashSet(StringComparer.Ordinal);
        return new LvmLayout
        {
            PhysicalVolumes = all.PhysicalVolumes
                .Where(pv => session.Find(pv.Device) is not null || (pv.VolumeGroup is not null && groups.Contains(pv.VolumeGroup))).ToArray(),
            VolumeGroups = all.VolumeGroups.Where(vg => groups.Contains(vg.Name)).ToArray(),
        };
    }

    private List<LuksDevice> LuksDevices(Session session)
    {
        var result = new List<LuksDevice>();
        foreach (var (node, _) in session.Probed().Where(p => p.Probe.Type == "crypto_LUKS"))
        {
            var what = $"the LUKS header of {node.Path}";
            var dump = OnDevice(session, node, what, device => RunOptional(session, ["cryptsetup", "luksDump", device], what));
            var luks = ParseOptional(session, dump, t => LuksDump.Parse(node.Path, t), what);
            if (luks is null) continue;
            var mapped = node.Lsblk?.Children.FirstOrDefault(c => c.Type == "crypt");
            result.Add(luks with { MappedName = mapped?.Name });
        }
        return result;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text;
using CoNdis.Hardware.Capture;

namespace Condis.Cli;

/// <summary>
/// <c>condis demo</c>: no input, no setup. Mixed traffic (64–1514 bytes, some VLAN-tagged, some asking for checksum
/// offload) goes through all four client/miniport pairings over the loopback NIC and over the ATM device (two hosts, a
/// UNI call, the frames in AAL5 cells); a table shows, per device, packets/s and each pairing's overhead ratio to
/// native/native on the same device, and demo.pcapng holds what came out. Exit 0 when every pairing delivered
/// every frame byte-identical and every pool came home, 1 otherwise.
/// </summary>
internal static class DemoCommand
{
    private const int Frames = 10_000;
    private const int Rounds = 5;

    public static Command Create(CliIo io)
    {
        var command = new Command("demo", "Send mixed traffic (64-1514 bytes, VLAN-tagged, checksum offload) through all four client/miniport pairings over the loopback NIC and over the ATM device (a UNI call between two hosts, the frames in cells), print packets/s and each pairing's overhead ratio to native/native on the same device, and write what came out to demo.pcapng.");
        var output = new Option<string>("--output", "-o") { Description = "Where to write demo.pcapng: a file, or a directory (default: the current directory).", HelpName = "OUT", DefaultValueFactory = _ => "." };
        command.Options.Add(output);
        command.SetAction(parseResult => Run(parseResult.GetValue(output) ?? ".", io));
        return command;
    }

    public static int Run(string output, CliIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        string path = Directory.Exists(output) ? Path.Combine(output, "demo.pcapng") : output;
        var traffic = new DemoTraffic(Frames);
        var runners = new List<DemoRunner>();
        var results = new List<DemoPairingResult>();
        try
        {
            foreach (var device in new[] { DeviceKind.Loopback, DeviceKind.Atm })
            {
                foreach (var (client, miniport) in new[] { (DriverSide.Native, DriverSide.Native), (DriverSide.Native, DriverSide.Legacy), (DriverSide.Legacy, DriverSide.Native), (DriverSide.Legacy, DriverSide.Legacy) })
                    runners.Add(new DemoRunner(traffic, client, miniport, device));
            }
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read))
            using (var capture = new PcapNgWriter(file))
            {
                for (int i = 0; i < runners.Count; i++)
                    runners[i].WarmUp(i == 0 ? capture : null);
            }

            // Interleaved timed rounds, the best of each pairing kept: a pairing is not measured alone while the JIT or a neighbour is busy.
            for (int round = 0; round < Rounds; round++)
            {
                foreach (var runner in runners)
                    runner.TimedRound();
            }

            foreach (var runner in runners)
                results.Add(runner.Finish());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            io.Stderr.WriteLine($"condis demo: cannot write {TextEscaping.Escape(path)}: {TextEscaping.Escape(ex.Message)}");
            return ExitCodes.BadInput;
        }
        finally
        {
            foreach (var runner in runners)
                runner.Dispose();
        }

        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"condis demo: {Frames:N0} Ethernet frames of 64-1514 bytes ({traffic.TaggedCount:N0} VLAN-tagged, {traffic.OffloadCount:N0} asking the NIC for IPv4/TCP/UDP checksums),\n");
        text.Append(c, $"sent {Rounds + 1} times by a client over a VC through each pairing: across the simulated NIC and its loopback link and back (loopback),\n");
        text.Append("and from host A to host B over a UNI call (Q.2931 over SSCOP), LLC/SNAP-bridged in AAL5, cut into 53-octet cells and reassembled (atm).\n\n");
        text.Append(c, $"  {"device",-9} {"client/miniport",-16} {"frames",8} {"byte-identical",15} {"packets/s",11} {"overhead vs native/native",26} {"pools home",11}\n");
        foreach (var r in results)
        {
            double baseline = results.First(b => b.Device == r.Device).PacketsPerSecond;
            text.Append(c, $"  {r.Device,-9} {r.Pairing,-16} {r.Frames,8} {r.Identical,15} {r.PacketsPerSecond,11:N0} {baseline / r.PacketsPerSecond,25:F2}x {(r.Problems == 0 ? "yes" : "NO"),11}\n");
        }

        var loopback = results.First(r => r.Device == "loopback");
        var atm = results.First(r => r.Device == "atm");
        text.Append(c, $"\nThe loopback NIC filled {loopback.ChecksumsInserted:N0} frames' checksums per pairing (the ATM SAR has no checksum offload: those frames go with theirs).\n");
        text.Append("A legacy side goes through the translation layer (NBL <-> NDIS_PACKET), which is the overhead above; each device's rows are\n");
        text.Append(c, $"measured against its own native/native. The ATM device's native/native runs at {loopback.PacketsPerSecond / atm.PacketsPerSecond:F1}x the loopback's time per frame (segmentation,\n");
        text.Append("CRC-32, HEC and reassembly of every cell). packets/s: the best of ").Append(Rounds.ToString(c)).Append(" interleaved timed rounds, after a warm-up round each.\n");
        text.Append(c, $"Wrote {TextEscaping.Escape(path)}: the frames as they came out. Look at them with 'tshark -r {TextEscaping.Escape(path)}' or 'condis inspect --packets {TextEscaping.Escape(path)}'.\n");
        bool clean = results.TrueForAll(r => r.Clean);
        text.Append(clean ? "Every pairing delivered every frame byte-identical and every pool came home, on both devices.\n" : "FAILED: a pairing lost or changed frames, or a pool did not come home.\n");
        io.Stdout.Write(text.ToString());
        return clean ? ExitCodes.Ok : ExitCodes.VerifyMismatch;
    }
}

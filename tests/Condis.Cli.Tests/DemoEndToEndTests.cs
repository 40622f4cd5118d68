using System.Text.RegularExpressions;
using Xunit;
using static Condis.Cli.Tests.CliProcess;

namespace Condis.Cli.Tests;

/// <summary><c>condis demo</c>: no input, no setup; the four pairings over the loopback NIC and over the ATM device, a table per device, demo.pcapng, exit 0.</summary>
public sealed partial class DemoEndToEndTests
{
    [Fact]
    public void Demo_exits_0_with_a_row_per_pairing_and_device_every_frame_identical_and_writes_demo_pcapng()
    {
        var dir = Directory.CreateTempSubdirectory("condis-demo").FullName;
        try
        {
            var result = CondisIn(dir, null, "demo");
            Assert.True(result.Exit == 0, result.Stdout + result.Stderr);
            Assert.Equal("", result.Stderr);
            foreach (var device in new[] { "loopback", "atm" })
            {
                foreach (var pairing in new[] { "native/native", "native/legacy", "legacy/native", "legacy/legacy" })
                {
                    var row = Row(device, pairing).Match(result.Stdout);
                    Assert.True(row.Success, $"no row for {pairing} over {device} in:\n{result.Stdout}");
                    Assert.Equal("60000", row.Groups["frames"].Value);
                    Assert.Equal(row.Groups["frames"].Value, row.Groups["identical"].Value);
                    Assert.Equal("yes", row.Groups["home"].Value);
                }

                // Each device's native/native is its own baseline.
                Assert.Equal("1.00", Row(device, "native/native").Match(result.Stdout).Groups["ratio"].Value);
            }

            Assert.Contains("Every pairing delivered every frame byte-identical and every pool came home, on both devices.", result.Stdout, StringComparison.Ordinal);
            var capture = Path.Combine(dir, "demo.pcapng");
            Assert.True(File.Exists(capture));
            var capinfos = Tool("capinfos");
            if (capinfos is not null)
            {
                var info = Run(capinfos, ["-c", "-M", capture]);
                Assert.True(info.Exit == 0 && info.Stderr.Length == 0, info.Stderr);
                Assert.Contains("10000", info.Stdout, StringComparison.Ordinal);
            }

            var tshark = Tool("tshark");
            if (tshark is not null)
            {
                // Tagged frames and checksums the NIC filled: tshark finds VLANs and no bad IPv4 checksum.
                var vlan = Run(tshark, ["-n", "-r", capture, "-Y", "vlan", "-T", "fields", "-e", "frame.number"]);
                Assert.Equal(2500, Lines(vlan.Stdout).Length);
                var bad = Run(tshark, ["-n", "-r", capture, "-o", "ip.check_checksum:TRUE", "-Y", "ip.checksum.status == 0", "-T", "fields", "-e", "frame.number"]);
                Assert.Equal("", bad.Stdout.Trim());
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Demo_output_option_writes_demo_pcapng_where_asked()
    {
        var dir = Directory.CreateTempSubdirectory("condis-demo-o").FullName;
        try
        {
            var file = Path.Combine(dir, "mine.pcapng");
            var result = RunCondis("demo", "-o", file);
            Assert.True(result.Exit == 0, result.Stderr);
            Assert.True(File.Exists(file));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static Regex Row(string device, string pairing) => new($@"^\s+{Regex.Escape(device)}\s+{Regex.Escape(pairing)}\s+(?<frames>\d+)\s+(?<identical>\d+)\s+[\d,]+\s+(?<ratio>[\d.]+)x\s+(?<home>\w+)\s*$", RegexOptions.Multiline);
}

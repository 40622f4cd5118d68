using System.CommandLine;

namespace Condis.Cli;

/// <summary>The list of subcommands and their help examples; each command lives in its own file.</summary>
internal static class Commands
{
    public static IEnumerable<Command> All(CliIo io)
    {
        yield return CellsCommand.Create(io);
        yield return ConvertCommand.Create(io);
        yield return DemoCommand.Create(io);
        yield return InspectCommand.Create(io);
        yield return TourCommand.Create(io);
    }

    /// <summary>Examples printed at the end of each command's --help (command name → lines).</summary>
    public static IReadOnlyDictionary<string, string[]> Examples { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["condis"] =
        [
            "condis demo                               real traffic through the four pairings, over loopback and ATM, no files needed",
            "condis convert in.pcap -o out.pcapng      every frame through the data path and back out",
            "condis cells in.pcap -o atm.pcap --format sunatm   the frames as ATM traffic (RFC 2684 in AAL5)",
            "condis inspect capture.pcapng             capture facts, like capinfos",
            "condis inspect --packets capture.pcap     plus each packet's NBL/NB/MDL and NDIS_PACKET layout",
            "condis tour                               the NET_BUFFER structure walkthrough",
            "condis inspect --help                     help for one command",
        ],
        ["convert"] =
        [
            "condis convert in.pcap -o out.pcap                          native client and miniport over the loopback NIC",
            "condis convert in.pcap -o out.pcap --client legacy --miniport legacy --verify",
            "condis convert in.pcap -o out.pcapng --annotate             a comment per packet: its NBL/MDL layout and NDIS_PACKET",
            "condis convert in.pcapng -o wire-check.pcapng --wire wire.pcapng   also what crossed the link",
            "condis convert in.pcap -o out.pcap --device atm --verify    across a UNI call between two ATM hosts, cells and all",
            "condis convert in.pcap -o out.pcap --device atm --wire uni.pcapng   plus SunATM: Q.2931 SETUP...RELEASE COMPLETE and the AAL5 data",
            "condis convert captures/ -o converted/ -j 4 --json          a directory, four at once, JSON summary",
            "tcpdump -w - | condis convert - -o - --format pcapng | tshark -r -",
        ],
        ["cells"] =
        [
            "condis cells in.pcap -o atm.pcap --format sunatm                  LLC/SNAP on VPI 0/VCI 32; tshark -r atm.pcap decodes it",
            "condis cells in.pcap -o atm.erf.pcap --format erf-aal5 --vpi 1 --vci 100   whole CPCS-PDUs: Wireshark checks each CRC-32",
            "condis cells in.pcap -o cells.pcap --format erf-cells --encap vcmux        one record per cell (header + 48 octets), VC-multiplexed",
            "condis cells raw_ip.pcap -o atm.pcapng --format sunatm --container pcapng --json",
            "tcpdump -w - | condis cells - -o - --format sunatm | tshark -r -",
        ],
        ["demo"] =
        [
            "condis demo                   the eight rows (four pairings x loopback, atm); writes ./demo.pcapng",
            "condis demo -o /tmp           writes /tmp/demo.pcapng",
        ],
        ["inspect"] =
        [
            "condis inspect capture.pcapng                      format, interfaces, packets, bytes, times",
            "condis inspect --json capture.pcap | jq .packetCount",
            "condis inspect --packets capture.pcap              per packet: the NBL it enters the data path as and its NDIS_PACKET",
            "condis inspect --packets --json capture.pcap       the same as one JSON object (packets streamed in an array)",
            "tcpdump -w - | condis inspect -                    read standard input",
            "condis inspect -v info big.pcapng                  plus file, counts and speed on stderr",
            "condis inspect -- -odd-name.pcap                   a file whose name starts with '-'",
        ],
        ["tour"] =
        [
            "condis tour",
            "condis tour > tour.txt && echo clean",
        ],
    };
}

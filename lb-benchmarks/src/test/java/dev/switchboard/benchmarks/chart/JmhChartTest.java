package dev.switchboard.benchmarks.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JmhChartTest {

    private static Path sample(String name) throws Exception {
        return Path.of(JmhChartTest.class.getResource("/chart/" + name).toURI());
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> groups(Document doc, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList all = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        for (int i = 0; i < all.getLength(); i++) {
            Element g = (Element) all.item(i);
            if (g.getAttribute("class").equals(cls)) {
                out.add(g);
            }
        }
        return out;
    }

    @Test
    void chart_pickSample_validSvgWithOneSeriesPerImplementation() throws Exception {
        SvgChart chart = JmhChart.chart(JmhResults.read(sample("pick.json")), "PeerPickBenchmark\\.pick$",
                Map.of("weights", "MIXED"), "servers", List.of("type"), JmhChart.OURS, "pick", "servers");

        Document doc = parse(chart.render());

        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        List<Element> series = groups(doc, "series");
        assertThat(series).extracting(g -> g.getAttribute("data-series"))
                .containsExactly("Atomic round robin", "Armeria round robin", "Switchboard round robin");
        for (Element g : series) {
            String points = ((Element) g.getElementsByTagNameNS("*", "polyline").item(0)).getAttribute("points");
            assertThat(points.trim().split(" ")).as(g.getAttribute("data-series")).hasSize(4);
        }
        assertThat(groups(doc, "legend")).hasSize(3);
    }

    @Test
    void chart_peers_dashedAndOursSolid() throws Exception {
        SvgChart chart = JmhChart.chart(JmhResults.read(sample("pick.json")), "PeerPickBenchmark\\.pick$",
                Map.of("weights", "EQUAL"), "servers", List.of("type"), JmhChart.OURS, "pick", "servers");

        for (Element g : groups(parse(chart.render()), "series")) {
            Element line = (Element) g.getElementsByTagNameNS("*", "polyline").item(0);
            boolean ours = g.getAttribute("data-series").startsWith("Switchboard");
            assertThat(line.hasAttribute("stroke-dasharray")).as(g.getAttribute("data-series")).isEqualTo(!ours);
        }
    }

    @Test
    void standard_quickResults_writesBothCharts(@TempDir Path out) throws Exception {
        List<Path> written = JmhChart.standard(sample("pick.json").getParent(), out);

        assertThat(written).containsExactly(out.resolve("benchmarks-pick.svg"), out.resolve("benchmarks-dispatch.svg"));
        Document dispatch = parse(Files.readString(out.resolve("benchmarks-dispatch.svg")));
        assertThat(groups(dispatch, "series")).extracting(g -> g.getAttribute("data-series")).containsExactlyInAnyOrder(
                "Literal, none", "Literal, active-cookie", "Regex mix, none", "Regex mix, active-cookie");
    }

    @Test
    void chart_resultsThatDifferInAParameterNotShown_rejected() throws Exception {
        JmhResults results = JmhResults.read(sample("pick.json"));

        assertThatThrownBy(() -> JmhChart.chart(results, "PeerPickBenchmark\\.pick$", Map.of(), "servers",
                List.of("type"), JmhChart.OURS, "t", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--series or --where");
    }

    @Test
    void number_plainWithoutTrailingZeros() {
        assertThat(SvgChart.number(4096)).isEqualTo("4,096");
        assertThat(SvgChart.number(2.5)).isEqualTo("2.5");
        assertThat(SvgChart.number(0.01)).isEqualTo("0.01");
        assertThat(SvgChart.escape("a<b & \"c\"")).isEqualTo("a&lt;b &amp; &quot;c&quot;");
    }
}

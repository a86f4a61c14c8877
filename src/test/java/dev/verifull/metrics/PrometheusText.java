package dev.verifull.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A strict reader of the Prometheus text format 0.0.4, for tests: every sample must belong to a
 * family declared by {@code # TYPE} before it (histograms own {@code _bucket}, {@code _sum},
 * {@code _count}), label values are unescaped, numbers parsed; anything else fails loudly.
 */
public final class PrometheusText {
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> help = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusText() {}

    public static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) continue;
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                p.help.put(parts[0], parts.length > 1 ? parts[1] : "");
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                if (parts.length != 2 || !List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[1])) {
                    throw new IllegalArgumentException("line " + n + ": bad TYPE: " + line);
                }
                if (p.types.put(parts[0], parts[1]) != null) throw new IllegalArgumentException("line " + n + ": TYPE twice: " + line);
            } else if (line.startsWith("#")) {
                continue;
            } else {
                Sample s = sample(line, n);
                if (p.familyOf(s.name()) == null) throw new IllegalArgumentException("line " + n + ": no TYPE before " + s.name());
                p.samples.add(s);
            }
        }
        for (String family : p.types.keySet()) {
            if (!p.help.containsKey(family)) throw new IllegalArgumentException("no HELP for " + family);
        }
        return p;
    }

    private String familyOf(String sample) {
        if (types.containsKey(sample)) return sample;
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if ("histogram".equals(types.get(base))) return base;
            }
        }
        return null;
    }

    private static Sample sample(String line, int n) {
        int i = 0;
        while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_' || line.charAt(i) == ':')) i++;
        String name = line.substring(0, i);
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) throw new IllegalArgumentException("line " + n + ": bad name: " + line);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) throw new IllegalArgumentException("line " + n + ": bad label " + label);
                if (line.charAt(eq + 1) != '"') throw new IllegalArgumentException("line " + n + ": unquoted value: " + line);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        value.append(switch (e) {
                            case 'n' -> '\n';
                            case '\\' -> '\\';
                            case '"' -> '"';
                            default -> throw new IllegalArgumentException("line " + n + ": bad escape \\" + e);
                        });
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) throw new IllegalArgumentException("line " + n + ": label twice");
                i = j + 1;
                if (line.charAt(i) == ',') i++;
                else if (line.charAt(i) != '}') throw new IllegalArgumentException("line " + n + ": expected , or }: " + line);
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') throw new IllegalArgumentException("line " + n + ": no value: " + line);
        String[] rest = line.substring(i + 1).split(" ");
        double value = switch (rest[0]) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(rest[0]);
        };
        return new Sample(name, labels, value);
    }

    public String type(String family) {
        return types.get(family);
    }

    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The one sample with this name and these labels (name/value pairs, a subset of its labels); fails when none or several. */
    public double value(String name, String... labels) {
        List<Sample> found = samples(name).stream().filter(s -> matches(s, labels)).toList();
        if (found.size() != 1) throw new AssertionError(found.size() + " samples " + name + " " + List.of(labels) + " in " + samples(name));
        return found.get(0).value();
    }

    public boolean has(String name, String... labels) {
        return samples(name).stream().anyMatch(s -> matches(s, labels));
    }

    public List<Sample> all() {
        return List.copyOf(samples);
    }

    private static boolean matches(Sample s, String... labels) {
        for (int k = 0; k < labels.length; k += 2) {
            if (!Objects.equals(s.labels().get(labels[k]), labels[k + 1])) return false;
        }
        return true;
    }

    /** Every histogram's buckets are cumulative and its +Inf bucket equals its count. */
    public void checkHistograms() {
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) continue;
            Map<Map<String, String>, List<Sample>> series = new LinkedHashMap<>();
            for (Sample s : samples(t.getKey() + "_bucket")) {
                Map<String, String> rest = new LinkedHashMap<>(s.labels());
                rest.remove("le");
                series.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
            }
            for (var e : series.entrySet()) {
                double last = 0;
                for (Sample b : e.getValue()) {
                    if (b.value() < last) throw new AssertionError("buckets of " + t.getKey() + e.getKey() + " not cumulative");
                    last = b.value();
                }
                Sample inf = e.getValue().get(e.getValue().size() - 1);
                if (!"+Inf".equals(inf.labels().get("le"))) throw new AssertionError("no +Inf bucket last in " + t.getKey());
                String[] labels = e.getKey().entrySet().stream().flatMap(x -> java.util.stream.Stream.of(x.getKey(), x.getValue()))
                        .toArray(String[]::new);
                double count = new PrometheusText().with(samples).value(t.getKey() + "_count", labels);
                if (count != inf.value()) throw new AssertionError(t.getKey() + e.getKey() + ": +Inf " + inf.value() + " != count " + count);
            }
        }
    }

    private PrometheusText with(List<Sample> s) {
        samples.addAll(s);
        return this;
    }
}

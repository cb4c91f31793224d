// Stage-time probe: the operations of a stage SavedModel by type (docs/experiments/stage-time/README.md).
import org.tensorflow.*;
import java.util.*;
public class Ops {
    public static void main(String[] a) {
        try (SavedModelBundle b = SavedModelBundle.load(a[0], "serve")) {
            Map<String, Integer> types = new TreeMap<>();
            int n = 0;
            Iterator<GraphOperation> it = b.graph().operations();
            while (it.hasNext()) { GraphOperation op = it.next(); types.merge(op.type(), 1, Integer::sum); n++; }
            System.out.println(n + " ops: " + types);
        }
    }
}

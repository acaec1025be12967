import java.io.*;
import java.net.*;
import java.util.*;
/** java Pipelined.java port n : n connections each send the upgrade request and a masked text frame in one write. */
public class Pipelined {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]), n = Integer.parseInt(a[1]);
        List<Socket> keep = new ArrayList<>();
        byte[] payload = "{\"type\":\"presence:update\",\"status\":\"away\"}".getBytes();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket("127.0.0.1", port);
            String req = "GET /workspace/ws?username=p" + i + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(req.getBytes());
            out.write(0x81); out.write(0x80 | payload.length); byte[] mask = {1, 2, 3, 4}; out.write(mask);
            for (int k = 0; k < payload.length; k++) out.write(payload[k] ^ mask[k % 4]);
            s.getOutputStream().write(out.toByteArray());
            s.getOutputStream().flush();
            keep.add(s);
        }
        Thread.sleep(3000);
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/health/ready").openConnection();
        c.setConnectTimeout(5000); c.setReadTimeout(10000);
        try { System.out.println("health after " + n + " pipelined: " + c.getResponseCode()); }
        catch (IOException e) { System.out.println("health after " + n + " pipelined: " + e); }
        for (Socket s : keep) s.close();
    }
}

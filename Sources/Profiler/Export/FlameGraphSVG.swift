// FlameGraphSVG.swift: a self-contained interactive SVG flame graph, and the differential one.
//
// Layout: the root ("all") at the bottom, callees stacked upward, widths proportional to total
// weight, children in label order. Each frame is a <g class="f"> holding its tooltip (<title>),
// <rect> and <text>, with its position in weight units (data-s start, data-w width, data-d
// depth) so the embedded script can re-layout on zoom without recomputing anything. Script:
// hover shows details in the status line, click zooms to a frame (ancestors stay full width),
// "Search" highlights frames matching a regular expression and reports the matched share,
// "Reset zoom" (or Escape) returns to the whole profile. Colors: Lua green, JIT aqua, native
// orange, GC purple, VM gray; the shade is a hash of the name so it is stable between runs.

import Foundation

public struct FlameGraphSVG {
    public var title: String = "tracejit flame graph"
    public var width: Int = 1200
    public var frameHeight: Int = 16
    public var minWidthPixels: Double = 0.1

    public init(title: String = "tracejit flame graph", width: Int = 1200) {
        self.title = title
        self.width = max(width, 200)
    }

    public func render(_ p: Profile) -> String {
        let root = FlameTree.build(p.stacks)
        let subtitle = String(format: "%d samples, %.3f s CPU, %@", p.sampleCount, p.cpuSeconds, p.timer)
        return render(root: root, subtitle: subtitle, unit: "samples") { node, _ in
            (FlameGraphSVG.color(for: node.frame), nil)
        }
    }

    /// The differential graph: the shape of `after`; each frame colored by the change of its
    /// share of all samples (after share - before share, both normalized by their own totals):
    /// red grew, blue shrank, white unchanged, intensity relative to the largest change.
    public func renderDiff(before: Profile, after: Profile) -> String {
        let b = FlameTree.build(before.stacks), a = FlameTree.build(after.stacks)
        let bt = Double(max(b.total, 1)), at = Double(max(a.total, 1))
        var deltas: [ObjectIdentifier: (before: Int, delta: Double)] = [:]
        var maxAbs = 0.0
        func walk(_ an: FlameNode, _ bn: FlameNode?) {
            let bw = bn?.total ?? 0
            let d = Double(an.total) / at - Double(bw) / bt
            deltas[ObjectIdentifier(an)] = (bw, d)
            if an !== a { maxAbs = max(maxAbs, abs(d)) }
            for c in an.children { walk(c, bn?.find(c.frame.label)) }
        }
        walk(a, b)
        let subtitle = String(format: "after: %d samples, before: %d samples; red grew, blue shrank", a.total, b.total)
        return render(root: a, subtitle: subtitle, unit: "samples") { node, _ in
            let (bw, d) = deltas[ObjectIdentifier(node)] ?? (0, 0)
            let extra = String(format: "before %d (%.2f%%), %+.2f points", bw, 100 * Double(bw) / bt, 100 * d)
            return (FlameGraphSVG.diffColor(delta: d, maxAbs: maxAbs), extra)
        }
    }

    public static func diffColor(delta: Double, maxAbs: Double) -> String {
        guard maxAbs > 0, delta != 0 else { return "rgb(250,250,250)" }
        let i = min(1, abs(delta) / maxAbs)
        let fade = Int((250 * (1 - i)).rounded())
        return delta > 0 ? "rgb(255,\(fade),\(fade))" : "rgb(\(fade),\(fade),255)"
    }

    public static func color(for f: ProfileFrame) -> String {
        var h: UInt32 = 2_166_136_261
        for b in f.name.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        let v = Double(h % 1000) / 1000, v2 = Double((h / 1000) % 1000) / 1000
        func c(_ lo: Double, _ hi: Double, _ t: Double) -> Int { Int(lo + (hi - lo) * t) }
        switch f.kind {
        case .lua: return "rgb(\(c(60, 120, v2)),\(c(170, 225, v)),\(c(60, 110, v2)))"
        case .jit: return "rgb(\(c(40, 90, v2)),\(c(170, 215, v)),\(c(205, 245, v)))"
        case .native: return "rgb(\(c(225, 255, v2)),\(c(110, 190, v)),\(c(40, 70, v2)))"
        case .gc: return "rgb(\(c(165, 200, v)),\(c(110, 140, v2)),\(c(215, 245, v)))"
        case .vm: return "rgb(\(c(170, 200, v)),\(c(170, 200, v)),\(c(170, 200, v)))"
        }
    }

    func render(root: FlameNode, subtitle: String, unit: String,
                style: (FlameNode, Int) -> (fill: String, extra: String?)) -> String {
        let depth = root.depth
        let pad = 10.0, top = 54.0, bottom = 34.0
        let fh = Double(frameHeight)
        let height = Int(top + bottom + Double(depth) * fh)
        let total = max(root.total, 1)
        let scale = (Double(width) - 2 * pad) / Double(total)
        var body = ""
        body.reserveCapacity(4096)
        func emit(_ n: FlameNode, start: Int, d: Int) {
            let w = Double(n.total) * scale
            if w < minWidthPixels { return }
            let x = pad + Double(start) * scale
            let y = Double(height) - bottom - Double(d + 1) * fh
            let (fill, extra) = style(n, d)
            let pct = 100 * Double(n.total) / Double(total)
            var tip = String(format: "%@ (%d %@, %.2f%%; self %d)", n.frame.displayLabel, n.total, unit, pct, n.selfWeight)
            if !n.frame.file.isEmpty && n.frame.kind == .native { tip += " " + n.frame.file }
            if let e = extra { tip += "; " + e }
            body += "<g class=\"f\" data-s=\"\(start)\" data-w=\"\(n.total)\" data-d=\"\(d)\" data-k=\"\(n.frame.kind.rawValue)\" data-n=\"\(xmlEscaped(n.frame.displayLabel))\">"
            body += "<title>\(xmlEscaped(tip))</title>"
            body += String(format: "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%@\" rx=\"2\"/>",
                           x, y, max(w, 0), fh - 1, fill)
            body += String(format: "<text x=\"%.2f\" y=\"%.1f\">%@</text></g>\n", x + 3, y + fh - 4.5,
                           xmlEscaped(FlameGraphSVG.fit(n.frame.displayLabel, pixels: w)))
            var s = start
            for c in n.children {
                emit(c, start: s, d: d + 1)
                s += c.total
            }
        }
        emit(root, start: 0, d: 0)
        let script = FlameGraphSVG.script
            .replacingOccurrences(of: "@TOTAL@", with: String(total))
            .replacingOccurrences(of: "@W@", with: String(width))
            .replacingOccurrences(of: "@PAD@", with: String(pad))
            .replacingOccurrences(of: "@H@", with: String(height))
            .replacingOccurrences(of: "@FH@", with: String(frameHeight))
            .replacingOccurrences(of: "@BOTTOM@", with: String(bottom))
        return """
        <?xml version="1.0" standalone="no"?>
        <svg version="1.1" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
        xmlns="http://www.w3.org/2000/svg" onload="tjInit(evt)">
        <style>
        text { font-family: Verdana, sans-serif; font-size: 11px; fill: #000; }
        g.f { cursor: pointer; } g.f:hover rect { stroke: #000; stroke-width: 0.5; }
        .hdr { font-size: 17px; } .sub { font-size: 12px; fill: #555; } .btn { cursor: pointer; fill: #22c; }
        .hide { display: none; }
        </style>
        <script type="text/ecmascript"><![CDATA[\(script)]]></script>
        <rect x="0" y="0" width="\(width)" height="\(height)" fill="#f8f8f0"/>
        <text class="hdr" x="\(width / 2)" y="22" text-anchor="middle">\(xmlEscaped(title))</text>
        <text class="sub" x="\(width / 2)" y="40" text-anchor="middle">\(xmlEscaped(subtitle))</text>
        <text id="reset" class="btn hide" x="\(Int(pad))" y="22" onclick="tjReset()">Reset zoom</text>
        <text id="search" class="btn" x="\(width - 120)" y="22" onclick="tjSearchPrompt()">Search</text>
        <text id="matched" class="sub" x="\(width - 120)" y="40"></text>
        <text id="details" x="\(Int(pad))" y="\(height - 12)"> </text>
        <g id="frames">
        \(body)</g>
        </svg>

        """
    }

    /// The label cut to fit `pixels` at ~6.6 px per character (Verdana 11px), ".." marking the cut.
    static func fit(_ s: String, pixels: Double) -> String {
        let chars = Int((pixels - 6) / 6.6)
        if chars < 3 { return "" }
        if s.count <= chars { return s }
        return String(s.prefix(chars - 2)) + ".."
    }

    // Written for this project. Placeholders @...@ are filled by render().
    static let script = """

    var TOTAL=@TOTAL@, W=@W@, PAD=@PAD@, H=@H@, FH=@FH@, BOTTOM=@BOTTOM@;
    var frames=[], details, resetBtn, matched, zs=0, zw=TOTAL, zd=0, query=null;
    function tjInit(evt) {
      var gs=document.getElementsByTagName('g');
      for (var i=0;i<gs.length;i++) if (gs[i].getAttribute('class')=='f') {
        var g=gs[i], t=g.getElementsByTagName('title')[0].textContent;
        var f={g:g, s:+g.getAttribute('data-s'), w:+g.getAttribute('data-w'), d:+g.getAttribute('data-d'),
               r:g.getElementsByTagName('rect')[0], x:g.getElementsByTagName('text')[0], tip:t,
               name:g.getAttribute('data-n')};
        f.fill=f.r.getAttribute('fill'); frames.push(f);
        g.onmouseover=(function(f){return function(){details.textContent=f.tip;};})(f);
        g.onmouseout=function(){details.textContent=' ';};
        g.onclick=(function(f){return function(){tjZoom(f);};})(f);
      }
      details=document.getElementById('details'); resetBtn=document.getElementById('reset');
      matched=document.getElementById('matched');
      document.addEventListener('keydown',function(e){ if(e.key=='Escape') tjReset();
        if((e.ctrlKey||e.metaKey)&&e.key=='f'){e.preventDefault();tjSearchPrompt();}});
    }
    function fitText(f,px){ var n=Math.floor((px-6)/6.6); if(n<3) return '';
      return f.name.length<=n?f.name:f.name.substring(0,n-2)+'..'; }
    function layout() {
      var scale=(W-2*PAD)/zw;
      for (var i=0;i<frames.length;i++) { var f=frames[i], x, w;
        if (f.d<zd) { if (f.s<=zs && f.s+f.w>=zs+zw) { x=PAD; w=W-2*PAD; } else { w=-1; } }
        else if (f.s>=zs && f.s+f.w<=zs+zw) { x=PAD+(f.s-zs)*scale; w=f.w*scale; } else { w=-1; }
        if (w<0.1) { f.g.setAttribute('class','f hide'); continue; }
        f.g.setAttribute('class','f'); f.r.setAttribute('x',x.toFixed(2)); f.r.setAttribute('width',w.toFixed(2));
        f.x.setAttribute('x',(x+3).toFixed(2)); f.x.textContent=fitText(f,w);
      }
    }
    function tjZoom(f){ zs=f.s; zw=f.w; zd=f.d; resetBtn.setAttribute('class','btn'); layout(); }
    function tjReset(){ zs=0; zw=TOTAL; zd=0; resetBtn.setAttribute('class','btn hide'); layout(); }
    function tjSearchPrompt(){ var q=prompt('Search frames (regular expression)', query||'');
      if (q===null) return; tjSearch(q); }
    function tjSearch(q){ query=q||null; var re=null;
      try { re=q?new RegExp(q):null; } catch(e) { matched.textContent='bad expression'; return; }
      var spans=[];
      for (var i=0;i<frames.length;i++){ var f=frames[i];
        if (re && re.test(f.name)) { f.r.setAttribute('fill','rgb(230,0,230)'); spans.push([f.s,f.s+f.w]); }
        else f.r.setAttribute('fill',f.fill); }
      spans.sort(function(a,b){return a[0]-b[0];}); var sum=0, end=-1;
      for (var j=0;j<spans.length;j++){ var a=spans[j][0], b=spans[j][1];
        if (a>=end){ sum+=b-a; end=b; } else if (b>end){ sum+=b-end; end=b; } }
      matched.textContent=re?('Matched: '+(100*sum/TOTAL).toFixed(1)+'%'):'';
    }

    """
}

/// Escapes text for SVG/XML content and attributes (control characters become spaces).
public func xmlEscaped(_ s: String) -> String {
    var o = ""
    o.reserveCapacity(s.count)
    for ch in s.unicodeScalars {
        switch ch {
        case "&": o += "&amp;"
        case "<": o += "&lt;"
        case ">": o += "&gt;"
        case "\"": o += "&quot;"
        case "'": o += "&apos;"
        default:
            if ch.value < 0x20 && ch != "\t" && ch != "\n" { o += " " } else { o.unicodeScalars.append(ch) }
        }
    }
    return o
}

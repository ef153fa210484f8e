import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import './ui.css';

/** A QR code drawn in the browser (no external service ever sees the text). */
export function QrCode({ text, label, size = 192 }: { text: string; label: string; size?: number }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 1, width: size * 2, color: { dark: '#111827', light: '#ffffff' } })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(undefined));
    return () => {
      live = false;
    };
  }, [text, size]);
  return (
    <div className="qr" style={{ width: size, height: size }}>
      {src ? <img src={src} width={size} height={size} alt={label} /> : <span className="spinner" aria-hidden="true" />}
    </div>
  );
}

// Passkey ceremonies of the login and security pages. The server makes the options and
// checks the answers; this only carries them between it and the browser's WebAuthn API.
(function () {
  'use strict';

  function bytesToBase64Url(buffer) {
    const bytes = new Uint8Array(buffer);
    let text = '';
    bytes.forEach(function (b) { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function base64UrlToBytes(value) {
    const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
    const text = atob(base64 + '='.repeat((4 - base64.length % 4) % 4));
    return Uint8Array.from(text, function (c) { return c.charCodeAt(0); });
  }

  function meta(name) {
    const element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute('content') : null;
  }

  async function post(url, body) {
    const headers = { 'Accept': 'application/json' };
    const csrfHeader = meta('csrf-header');
    if (csrfHeader) {
      headers[csrfHeader] = meta('csrf-token');
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(url, {
      method: 'POST', credentials: 'same-origin', headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const answer = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      throw new Error(answer.error || ('HTTP ' + response.status));
    }
    return answer;
  }

  function showError(message) {
    const box = document.getElementById('passkey-error');
    if (box) {
      box.textContent = message;
      box.hidden = false;
      box.focus();
    }
  }

  async function login(button) {
    const options = await post(button.dataset.options);
    options.challenge = base64UrlToBytes(options.challenge);
    options.allowCredentials = (options.allowCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: base64UrlToBytes(c.id) });
    });
    const credential = await navigator.credentials.get({ publicKey: options });
    const response = credential.response;
    const answer = await post(button.dataset.verify, {
      id: credential.id,
      rawId: bytesToBase64Url(credential.rawId),
      type: credential.type,
      response: {
        authenticatorData: bytesToBase64Url(response.authenticatorData),
        clientDataJSON: bytesToBase64Url(response.clientDataJSON),
        signature: bytesToBase64Url(response.signature),
        userHandle: response.userHandle ? bytesToBase64Url(response.userHandle) : undefined
      },
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment
    });
    window.location.assign(answer.redirect);
  }

  async function register(button) {
    const options = await post(button.dataset.options);
    options.challenge = base64UrlToBytes(options.challenge);
    options.user.id = base64UrlToBytes(options.user.id);
    options.excludeCredentials = (options.excludeCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: base64UrlToBytes(c.id) });
    });
    const credential = await navigator.credentials.create({ publicKey: options });
    const response = credential.response;
    const label = document.getElementById('passkey-label');
    const url = button.dataset.verify + '?label=' + encodeURIComponent(label ? label.value : '');
    const answer = await post(url, {
      id: credential.id,
      rawId: bytesToBase64Url(credential.rawId),
      type: credential.type,
      response: {
        attestationObject: bytesToBase64Url(response.attestationObject),
        clientDataJSON: bytesToBase64Url(response.clientDataJSON),
        transports: response.getTransports ? response.getTransports() : []
      },
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment
    });
    window.location.assign(answer.redirect);
  }

  function wire(id, ceremony) {
    const button = document.getElementById(id);
    if (!button) {
      return;
    }
    if (!window.PublicKeyCredential) {
      button.disabled = true;
      return;
    }
    button.addEventListener('click', function () {
      button.disabled = true;
      ceremony(button).catch(function (error) {
        showError(error.message);
        button.disabled = false;
      });
    });
  }

  wire('passkey-login', login);
  wire('passkey-register', register);
}());
